import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { applyOverrides, ruleSeverities, CONFIG_KEYS, ConfigLoader, DEFAULT_CONFIG, readConfigText, type ConfigIssue, type MlreadyConfig } from '../engine';
import { uriToPath } from './documents';
import type { Log } from './log';
import type { ConfigDiagnostics } from './config-diagnostics';

/**
 * `mlready.*` from the editor, named as ruff-vscode and vscode-eslint name theirs
 * (`lint.run`, `lint.select`, `lint.ignore`, `showNotifications`, `logLevel`).
 */
const SETTINGS = {
  enable: z.boolean(),
  severity: CONFIG_KEYS.severity,
  lint: z.object({
    run: z.enum(['onType', 'onSave']).optional(),
    // null (the manifest's default): not set, the configuration file decides.
    select: CONFIG_KEYS.select.nullable().optional(),
    ignore: CONFIG_KEYS.ignore.nullable().optional(),
  }),
  showNotifications: z.enum(['off', 'onError', 'onWarning', 'always']),
  logLevel: z.enum(['error', 'warning', 'info', 'debug']),
} as const;

export interface EditorSettings {
  enable: boolean;
  severity: z.infer<typeof CONFIG_KEYS.severity>;
  lint: z.infer<typeof SETTINGS.lint>;
  showNotifications: z.infer<typeof SETTINGS.showNotifications>;
  logLevel: z.infer<typeof SETTINGS.logLevel>;
}

export const DEFAULT_SETTINGS: EditorSettings = { enable: true, severity: {}, lint: {}, showNotifications: 'onWarning', logLevel: 'info' };

/** The configuration that applies to one document. */
export interface DocumentConfig {
  enabled: boolean;
  config: MlreadyConfig;
  /** `mlready.lint.run`: analyse as the user types, or only when the file is saved (and opened). */
  lintRun: 'onType' | 'onSave';
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
  /** Configurations already written to the log. */
  private readonly logged = new Set<string>();

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
    this.logConfiguration(file, config, settings);
    const effective = applyOverrides(config, {
      severity: settings.severity,
      select: settings.lint.select ?? undefined,
      ignore: settings.lint.ignore ?? undefined,
    });
    return { enabled: settings.enable, config: effective, lintRun: settings.lint.run ?? 'onType' };
  }

  /** Once per configuration file (and once for the defaults), at info level: what applies. */
  private logConfiguration(file: string | undefined, config: MlreadyConfig, settings: EditorSettings): void {
    const source = config.root ? path.join(config.root, 'pyproject.toml') : 'defaults (no pyproject.toml with [tool.mlready])';
    const signature = `${source}\n${JSON.stringify(settings)}`;
    if (this.logged.has(signature)) return;
    this.logged.add(signature);
    const effective = applyOverrides(config, {
      severity: settings.severity,
      select: settings.lint.select ?? undefined,
      ignore: settings.lint.ignore ?? undefined,
    });
    const enabled = [...ruleSeverities(effective, file ?? 'untitled.py')].filter(([, severity]) => severity !== 'off').map(([rule]) => rule);
    this.log.info(
      `configuration for ${file ?? 'untitled documents'}: ${source}; select ${JSON.stringify(effective.select ?? 'all')}, ignore ${JSON.stringify(effective.ignore ?? [])}, ` +
        `severity ${JSON.stringify(effective.severity)}, seed ${effective.seed}, timeout ${effective.timeout}; lint.run ${settings.lint.run ?? 'onType'}; ` +
        `${enabled.length} rules enabled: ${enabled.join(', ')}`,
    );
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
        .getConfiguration(uri ? { scopeUri: uri, section: 'mlready' } : { section: 'mlready' })
        .then((value: unknown) => this.validateSettings(value))
        .catch((error: unknown) => {
          this.log.warn(`could not read the mlready settings: ${error instanceof Error ? error.message : String(error)}`);
          return DEFAULT_SETTINGS;
        });
      this.settings.set(uri, settings);
    }
    return settings;
  }

  /** Key by key: a bad value is reported once and replaced by its default; the other keys apply. */
  private validateSettings(value: unknown): EditorSettings {
    if (value === null || value === undefined || typeof value !== 'object') return DEFAULT_SETTINGS;
    const raw = value as Record<string, unknown>;
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const [key, schema] of Object.entries(SETTINGS)) {
      if (raw[key] === undefined || raw[key] === null) continue;
      const parsed = (schema as z.ZodType).safeParse(raw[key]);
      if (parsed.success) {
        settings[key] = parsed.data;
        continue;
      }
      const issue = parsed.error.issues[0];
      const where = ['mlready', key, ...issue.path.map(String)].join('.');
      const message = `Invalid setting ${where}: ${issue.message}. mlready uses the default for it.`;
      if (!this.badSettingsReported.has(message)) {
        this.badSettingsReported.add(message);
        this.log.warn(message);
        this.log.notify('warning', message);
      }
    }
    return settings as unknown as EditorSettings;
  }

  /** The settings that are not per document (notifications, log level), from the workspace. */
  async globalSettings(): Promise<EditorSettings> {
    return this.editorSettings('');
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
