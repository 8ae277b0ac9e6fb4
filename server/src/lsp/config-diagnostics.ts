import type { Connection, Diagnostic } from 'vscode-languageserver/node';

/** The parts of the server that report problems in configuration files (`pyproject.toml`, `mlready.toml`). */
export type ConfigDiagnosticsSource = 'invalid-config' | 'readiness-attestation';

/**
 * The one publisher of diagnostics on configuration files. `[tool.mlready]` validation and the
 * readiness attestations both report on `pyproject.toml`; `textDocument/publishDiagnostics`
 * replaces a document's whole list, so each part hands its own list here and the file gets their
 * union, sent only when it changed.
 */
export class ConfigDiagnostics {
  private readonly parts = new Map<string, Map<ConfigDiagnosticsSource, Diagnostic[]>>();
  private readonly sent = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  set(uri: string, source: ConfigDiagnosticsSource, diagnostics: readonly Diagnostic[]): void {
    let parts = this.parts.get(uri);
    if (!parts) this.parts.set(uri, (parts = new Map()));
    parts.set(source, [...diagnostics]);
    const merged = [...parts.values()].flat().sort((a, b) => a.range.start.line - b.range.start.line);
    const signature = JSON.stringify(merged);
    if (this.sent.get(uri) === signature) return;
    this.sent.set(uri, signature);
    void this.connection.sendDiagnostics({ uri, diagnostics: merged });
  }

  /** The files a part last reported on, so it can clear those it no longer has problems for. */
  filesOf(source: ConfigDiagnosticsSource): string[] {
    return [...this.parts].filter(([, parts]) => (parts.get(source)?.length ?? 0) > 0).map(([uri]) => uri);
  }
}
