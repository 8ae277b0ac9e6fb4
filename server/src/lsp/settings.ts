import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import {
  ruleSeverities,
  CONFIG_FIELD,
  CONFIG_KEYS,
  ConfigLoader,
  DEFAULT_CONFIG,
  isExcludedPath,
  loadConfigFile,
  readConfigText,
  type ConfigIssue,
  type LoadedConfig,
  type MlreadyConfig,
} from '../engine';
import { uriToPath } from './documents';
import type { Log } from './log';
import type { ConfigDiagnostics } from './config-diagnostics';

/**
 * `mlready.*` from the editor, named as ruff-vscode and vscode-eslint name theirs
 * (`lint.run`, `lint.select`, `lint.ignore`, `exclude`, `configuration`, `configurationPreference`,
 * `showNotifications`, `logLevel`). `showScoreInStatusBar` is the client's alone.
 */
const SETTINGS = {
  enable: z.boolean(),
  severity: CONFIG_KEYS.severity,
  lint: z.object({
    run: z.optional(z.enum(['onType', 'onSave'])),
    // null (the manifest's default): not set, the configuration file decides.
    select: z.optional(z.nullable(CONFIG_KEYS.select)),
    ignore: z.optional(z.nullable(CONFIG_KEYS.ignore)),
  }),
  showNotifications: z.enum(['off', 'onError', 'onWarning', 'always']),
  logLevel: z.enum(['error', 'warning', 'info', 'debug']),
  /** Globs of files not to lint, on top of `[tool.mlready] exclude` (like `ruff.exclude`). */
  exclude: CONFIG_KEYS.exclude,
  /** A configuration file (pyproject.toml or an mlready TOML file), like `ruff.configuration`. */
  configuration: z.string(),
  /** Which wins, the editor's settings or the configuration files (ruff-vscode's values). */
  configurationPreference: z.enum(['editorFirst', 'filesystemFirst', 'editorOnly']),
} as const;

export interface EditorSettings {
  enable: boolean;
  severity: z.infer<typeof CONFIG_KEYS.severity>;
  lint: z.infer<typeof SETTINGS.lint>;
  showNotifications: z.infer<typeof SETTINGS.showNotifications>;
  logLevel: z.infer<typeof SETTINGS.logLevel>;
  exclude: string[];
  configuration: string | null;
  configurationPreference: z.infer<typeof SETTINGS.configurationPreference>;
}

export const DEFAULT_SETTINGS: EditorSettings = {
  enable: true,
  severity: {},
  lint: {},
  showNotifications: 'onWarning',
  logLevel: 'info',
  exclude: [],
  configuration: null,
  configurationPreference: 'editorFirst',
};

/** One source of configuration, with the keys it sets: the project's file, `mlready.configuration`, the editor's own settings. */
interface Layer {
  name: string;
  config: MlreadyConfig;
  keys: readonly string[];
}

/** The `[tool.mlready]` keys the editor can layer, and the field each one fills (the engine's table, less `exclude`). */
const FIELDS: Partial<Record<string, keyof MlreadyConfig>> = Object.fromEntries(Object.entries(CONFIG_FIELD).filter(([key]) => key !== 'exclude'));

/**
 * Layers configurations, lowest priority first: each layer's keys replace the ones below, except
 * `severity`, merged rule by rule. `per-file-ignores` globs stay relative to the file that set them.
 * (`exclude` is not layered: every source's excludes apply.)
 */
export function layerConfigs(layers: readonly Layer[]): MlreadyConfig {
  const merged: MlreadyConfig = { ...DEFAULT_CONFIG, severity: {}, perFileIgnores: [], exclude: [] };
  for (const layer of layers) {
    for (const key of layer.keys) {
      const field = FIELDS[key];
      if (!field) continue;
      if (field === 'severity') merged.severity = { ...merged.severity, ...layer.config.severity };
      else (merged as unknown as Record<string, unknown>)[field] = layer.config[field];
      if (field === 'perFileIgnores') merged.root = layer.config.root;
    }
  }
  return merged;
}

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
  /** `mlready.configuration` files read, by path, with the size and time they had (reread when either changes). */
  private readonly named = new Map<string, { stamp: string; loaded: LoadedConfig }>();
  /** Problems with `mlready.configuration` already notified. */
  private readonly namedReported = new Set<string>();
  /** Each document's last configuration, with the sources it came from. */
  private readonly lastConfig = new Map<string, { settings: EditorSettings; project?: LoadedConfig; named?: LoadedConfig; result: DocumentConfig }>();
  private readonly settings = new Map<string, Promise<EditorSettings>>();
  /** pyproject.toml URIs → the issues last published on them. */
  private readonly published = new Map<string, string>();
  private readonly badSettingsReported = new Set<string>();
  /** Configurations already written to the log. */
  private readonly logged = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    private readonly options: { trusted: boolean; pullSettings: boolean; folders?: readonly string[] },
    private readonly configDiagnostics: ConfigDiagnostics,
  ) {
    this.folders = [...(options.folders ?? [])];
  }

  /** The workspace folders, as paths: what `mlready.exclude` and a relative `mlready.configuration` are resolved against. */
  private folders: string[];

  /**
   * The project's file (nearest pyproject.toml with `[tool.mlready]`), the file `mlready.configuration`
   * names, and the editor's own settings, layered as `mlready.configurationPreference` says (as
   * ruff-vscode does): `editorFirst` (default) the editor's settings over `mlready.configuration` over
   * the project's file; `filesystemFirst` the project's file over both; `editorOnly` the project's file
   * ignored. Excludes from every source used apply. In an untrusted workspace no file is read.
   */
  async forDocument(uri: string): Promise<DocumentConfig> {
    const settings = await this.editorSettings(uri);
    const file = uriToPath(uri);
    const folder = this.folderOf(file);
    const preference = settings.configurationPreference;
    let project: LoadedConfig | undefined;
    if (file && this.options.trusted && preference !== 'editorOnly') {
      project = this.loader.forFile(file);
      if (project.file) this.publishIssues(project.file, project.issues);
    }
    const named = this.namedConfig(settings.configuration, folder);
    // The same sources as last time for this document: the same configuration object (its rule
    // severities are computed once per object), nothing layered or matched again.
    const last = this.lastConfig.get(uri);
    if (last && last.settings === settings && last.project === project && last.named === named) return last.result;
    const editor: Layer = {
      name: 'editor settings',
      config: { ...DEFAULT_CONFIG, select: settings.lint.select ?? undefined, ignore: settings.lint.ignore ?? undefined, severity: settings.severity },
      keys: [
        ...(settings.lint.select ? ['select'] : []),
        ...(settings.lint.ignore ? ['ignore'] : []),
        ...(Object.keys(settings.severity).length > 0 ? ['severity'] : []),
      ],
    };
    const fromProject: Layer | undefined = project?.config.root
      ? { name: project.file ?? 'pyproject.toml', config: project.config, keys: project.keys ?? [] }
      : undefined;
    const fromNamed: Layer | undefined = named ? { name: named.file ?? 'mlready.configuration', config: named.config, keys: named.keys ?? [] } : undefined;
    const layers = (
      preference === 'filesystemFirst' ? [fromNamed, editor, fromProject] : preference === 'editorOnly' ? [fromNamed, editor] : [fromProject, fromNamed, editor]
    ).filter((layer): layer is Layer => layer !== undefined);
    const config = layerConfigs(layers);
    config.exclude = project?.config.exclude ?? [];
    const excluded = file !== undefined && this.isExcluded(file, folder, project, named, settings);
    this.logConfiguration(file, config, settings, layers, excluded);
    const result: DocumentConfig = { enabled: settings.enable && !excluded, config, lintRun: settings.lint.run ?? 'onType' };
    this.lastConfig.set(uri, { settings, project, named, result });
    return result;
  }

  /** The workspace folders changed (a multi-root workspace gained or lost one). */
  foldersChanged(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed);
    this.folders = [...this.folders.filter((folder) => !gone.has(folder)), ...added.filter((folder) => !this.folders.includes(folder))];
    this.lastConfig.clear();
  }

  /** A document was closed: forget its configuration. */
  documentClosed(uri: string): void {
    this.lastConfig.delete(uri);
  }

  /** The workspace folder that holds a file (the innermost), else the first folder. */
  private folderOf(file: string | undefined): string | undefined {
    const folders = this.folders;
    if (!file) return folders[0];
    const holding = folders.filter((folder) => {
      const relative = path.relative(folder, file);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    });
    return holding.sort((a, b) => b.length - a.length)[0] ?? folders[0];
  }

  /**
   * `[tool.mlready] exclude` (relative to its pyproject.toml), the excludes of `mlready.configuration`
   * and `mlready.exclude` (relative to the workspace folder; a file outside every folder is matched by
   * its absolute path, so `**` globs still apply).
   */
  private isExcluded(
    file: string,
    folder: string | undefined,
    project: LoadedConfig | undefined,
    named: LoadedConfig | undefined,
    settings: EditorSettings,
  ): boolean {
    const relativeTo = (base: string | undefined): string => {
      const relative = base ? path.relative(base, file) : '';
      const inside = base !== undefined && relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
      return (inside ? relative : path.resolve(file).replace(/^[/\\]+/, '')).split(path.sep).join('/');
    };
    if (project?.config.root && isExcludedPath(project.config.exclude, relativeTo(project.config.root))) return true;
    return isExcludedPath([...(named?.config.exclude ?? []), ...settings.exclude], relativeTo(folder));
  }

  /**
   * The file `mlready.configuration` names: `~`, `${userHome}` and `${workspaceFolder}` expanded, a
   * relative path resolved against the workspace folder. Ignored in an untrusted workspace. A file
   * that is missing or invalid is notified (once per problem) and its diagnostics shown on it; the
   * defaults apply in its place.
   */
  private namedConfig(setting: string | null, folder: string | undefined): LoadedConfig | undefined {
    const value = setting?.trim();
    if (!value) return undefined;
    if (!this.options.trusted) {
      this.reportNamed('untrusted', 'info', `mlready.configuration (${value}) is ignored in an untrusted workspace; trust the folder to use it.`);
      return undefined;
    }
    const home = os.homedir();
    let expanded = value.replace(/^~(?=$|[/\\])/, home).replace(/\$\{userHome\}/g, home);
    if (expanded.includes('${workspaceFolder}')) {
      if (!folder) {
        this.reportNamed(
          `nofolder:${value}`,
          'error',
          `mlready.configuration (${value}) uses \${workspaceFolder}, but no folder is open; mlready uses the defaults.`,
        );
        return undefined;
      }
      expanded = expanded.replace(/\$\{workspaceFolder\}/g, folder);
    }
    if (!path.isAbsolute(expanded)) {
      if (!folder) {
        this.reportNamed(
          `relative:${value}`,
          'error',
          `mlready.configuration (${value}) is a relative path, but no folder is open to resolve it against; mlready uses the defaults.`,
        );
        return undefined;
      }
      expanded = path.resolve(folder, expanded);
    }
    const file = path.resolve(expanded);
    let stamp = 'missing';
    try {
      const stat = fs.statSync(file);
      stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      // Missing: loadConfigFile says so.
    }
    let cached = this.named.get(file);
    if (!cached || cached.stamp !== stamp) {
      cached = { stamp, loaded: loadConfigFile(file) };
      this.named.set(file, cached);
      this.publishIssues(file, stamp === 'missing' ? [] : cached.loaded.issues);
      for (const issue of cached.loaded.issues)
        this.reportNamed(
          `${file}:${stamp}:${issue.message}`,
          'error',
          `mlready.configuration: ${issue.message}${issue.line !== undefined ? ` (line ${issue.line + 1})` : ''}. mlready uses the defaults for ${stamp === 'missing' || !cached.loaded.keys?.length ? 'it' : 'that key'}.`,
        );
    }
    return cached.loaded;
  }

  private reportNamed(signature: string, level: 'error' | 'info', message: string): void {
    if (this.namedReported.has(signature)) return;
    this.namedReported.add(signature);
    if (level === 'error') {
      this.log.warn(message);
      this.log.notify('error', message);
    } else this.log.info(message);
  }

  /** Once per configuration (and once for the defaults), at info level: what applies. */
  private logConfiguration(file: string | undefined, config: MlreadyConfig, settings: EditorSettings, layers: readonly Layer[], excluded: boolean): void {
    const sources = layers.filter((layer) => layer.keys.length > 0 || layer.name !== 'editor settings').map((layer) => layer.name);
    const source = `${sources.length > 0 ? sources.join(' < ') : 'defaults (no pyproject.toml with [tool.mlready])'} (configurationPreference ${settings.configurationPreference})`;
    const signature = `${source}\n${JSON.stringify(settings)}${excluded ? `\nexcluded ${file}` : ''}`;
    if (this.logged.has(signature)) return;
    this.logged.add(signature);
    if (excluded) {
      this.log.info(`${file} is excluded (exclude ${JSON.stringify([...config.exclude, ...settings.exclude])}): not linted`);
      return;
    }
    const enabled = [...ruleSeverities(config, file ?? 'untitled.py')].filter(([, severity]) => severity !== 'off').map(([rule]) => rule);
    this.log.info(
      `configuration for ${file ?? 'untitled documents'}: ${source}; select ${JSON.stringify(config.select ?? 'all')}, ignore ${JSON.stringify(config.ignore ?? [])}, ` +
        `severity ${JSON.stringify(config.severity)}, seed ${config.seed}, timeout ${config.timeout}; lint.run ${settings.lint.run ?? 'onType'}; ` +
        `${enabled.length} rules enabled: ${enabled.join(', ')}`,
    );
  }

  /** Settings changed: forget what was pulled. */
  settingsChanged(): void {
    this.settings.clear();
    this.named.clear();
    this.lastConfig.clear();
    this.namedReported.clear();
  }

  /** A pyproject.toml changed on disk: reread, and refresh its diagnostics. */
  filesChanged(): void {
    this.loader.invalidate();
    this.lastConfig.clear();
    // `mlready.configuration` files are reread (and their diagnostics republished) on next use.
    const named = new Set(this.named.keys());
    this.named.clear();
    for (const [uri] of this.published) {
      const file = uriToPath(uri);
      if (!file || named.has(file)) continue;
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
      const parsed = (schema as z.ZodMiniType).safeParse(raw[key]);
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
