import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { applyOverrides, CONFIG_KEYS, ConfigLoader, DEFAULT_CONFIG, readConfigText, type ConfigIssue, type MlreadyConfig } from '../engine';
import { uriToPath } from './documents';
import type { Log } from './log';
import type { ConfigDiagnostics } from './config-diagnostics';

/** `mlready.*` from the editor, as far as the server uses it. */
export interface EditorSettings {
  enable: boolean;
  severity: z.infer<typeof CONFIG_KEYS.severity>;
}

const DEFAULT_SETTINGS: EditorSettings = { enable: true, severity: {} };

const settingsSchema = z.object({
  enable: z.boolean().optional(),
  severity: CONFIG_KEYS.severity.optional(),
});

/** The configuration that applies to one document. */
export interface DocumentConfig {
  enabled: boolean;
  config: MlreadyConfig;
}

/**
 * Resolves a document's configuration: the nearest pyproject.toml's `[tool.mlready]` (ignored in an
 * untrusted workspace), overridden by the editor's `mlready.*` settings (pulled with
 * workspace/configuration). Invalid pyproject.toml keys become diagnostics on that file, and
 * analysis goes on with the defaults for those keys.
 */
export class ConfigResolver {
  private readonly loader = new ConfigLoader();
  private readonly settings = new Map<string, Promise<EditorSettings>>();
  /** pyproject.toml URIs → the issues last published on them. */
  private readonly published = new Map<string, string>();
  private readonly badSettingsReported = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    private readonly options: { trusted: boolean; pullSettings: boolean },
    private readonly configDiagnostics: ConfigDiagnostics,
  ) {}

  async forDocument(uri: string): Promise<DocumentConfig> {
    const settings = await this.editorSettings(uri);
    let config: MlreadyConfig = DEFAULT_CONFIG;
    const file = uriToPath(uri);
    if (file && this.options.trusted) {
      const loaded = this.loader.forFile(file);
      config = loaded.config;
      if (loaded.file) this.publishIssues(loaded.file, loaded.issues);
    }
    return { enabled: settings.enable, config: applyOverrides(config, { severity: settings.severity }) };
  }

  /** Settings changed: forget what was pulled. */
  settingsChanged(): void {
    this.settings.clear();
  }

  /** A pyproject.toml changed on disk: reread, and refresh its diagnostics. */
  filesChanged(): void {
    this.loader.invalidate();
    for (const [uri] of this.published) {
      const file = uriToPath(uri);
      if (!file) continue;
      const loaded = this.loader.forDirectory(path.dirname(file));
      this.publishIssues(file, loaded.file === file ? loaded.issues : []);
    }
  }

  private editorSettings(uri: string): Promise<EditorSettings> {
    if (!this.options.pullSettings) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.settings.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'mlready' })
        .then((value: unknown) => this.validateSettings(value))
        .catch((error: unknown) => {
          this.log.warn(`could not read the mlready settings: ${error instanceof Error ? error.message : String(error)}`);
          return DEFAULT_SETTINGS;
        });
      this.settings.set(uri, settings);
    }
    return settings;
  }

  private validateSettings(value: unknown): EditorSettings {
    if (value === null || value === undefined) return DEFAULT_SETTINGS;
    const parsed = settingsSchema.safeParse(value);
    if (parsed.success) return { enable: parsed.data.enable ?? true, severity: parsed.data.severity ?? {} };
    const issue = parsed.error.issues[0];
    const where = ['mlready', ...issue.path.map(String)].join('.');
    const message = `Invalid setting ${where}: ${issue.message}. mlready uses the defaults for it.`;
    if (!this.badSettingsReported.has(message)) {
      this.badSettingsReported.add(message);
      this.log.warn(message);
      void this.connection.window.showWarningMessage(message);
    }
    // Keep the parts that are valid.
    const raw = value as { enable?: unknown; severity?: unknown };
    const severity = CONFIG_KEYS.severity.safeParse(raw.severity);
    return { enable: typeof raw.enable === 'boolean' ? raw.enable : true, severity: severity.success ? severity.data : {} };
  }

  private publishIssues(file: string, issues: readonly ConfigIssue[]): void {
    const uri = pathToFileURL(file).href;
    const signature = JSON.stringify(issues);
    if (this.published.get(uri) === signature) return;
    this.published.set(uri, signature);
    const lines = readLines(file);
    const diagnostics: Diagnostic[] = issues.map((issue) => {
      const line = issue.line ?? 0;
      const text = lines[line] ?? '';
      const start = text.length - text.trimStart().length;
      return {
        range: { start: { line, character: start }, end: { line, character: text.length } },
        severity: DiagnosticSeverity.Error,
        source: 'mlready',
        code: 'invalid-config',
        message: issue.message,
      };
    });
    this.configDiagnostics.set(uri, 'invalid-config', diagnostics);
  }
}

function readLines(file: string): string[] {
  try {
    return (readConfigText(file) ?? '').split(/\r\n|\r|\n/);
  } catch {
    return [];
  }
}
