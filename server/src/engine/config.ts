import * as path from 'node:path';
import * as z from 'zod/mini';
import './schema';
import { parse as parseToml } from 'smol-toml';
import picomatch from 'picomatch';
import { readConfigText, describeFsError } from './safe-fs';
import { CATEGORY_NAMES, type Category, type Rule, type Severity } from './rule';
import { RULES, RULE_NAMES } from './rules';
import { closestName } from './spelling';

const SEVERITY_OR_OFF = z.enum(['error', 'warning', 'info', 'hint', 'off']);
export type SeverityOrOff = z.infer<typeof SEVERITY_OR_OFF>;

/** A rule name, a category name, or `ALL`. */
const selector = z.string().check(
  z.refine((value) => value === 'ALL' || RULE_NAMES.has(value) || CATEGORY_NAMES.includes(value as Category), {
    message: 'unknown rule or category',
  }),
);
const ruleName = z.string().check(z.refine((value) => RULE_NAMES.has(value), { message: 'unknown rule' }));

/**
 * Why a glob from configuration is refused, if it is: picomatch compiles each `*` to a lazy
 * `[^/]*?`, so a path segment with several `*` backtracks polynomially (`*a*a*a*…*b` against a
 * long name hangs). At most two `*` per path segment (a `**` segment is free), and no extglobs
 * (`+(…)`, `*(…)`, whose nested quantifiers backtrack exponentially).
 */
export function unsafeGlobReason(pattern: string): string | undefined {
  if (pattern.length > 1024) return 'is longer than 1,024 characters';
  if (/[@*+?!]\(/.test(pattern)) return 'uses an extglob (`+(…)`, `*(…)`, `@(…)`, `?(…)`, `!(…)`), which mlready does not accept';
  for (const segment of pattern.split('/')) {
    if (segment === '**') continue;
    const stars = segment.match(/\*+/g)?.length ?? 0;
    if (stars > 2) return `has ${stars} \`*\` in the path segment "${segment}" (at most 2): such patterns can take super-linear time`;
  }
  return undefined;
}

/** A glob from configuration, refused with the reason `unsafeGlobReason` gives. */
const glob = z.string().check(
  z.superRefine((pattern, context) => {
    const reason = unsafeGlobReason(pattern);
    if (reason) context.addIssue({ code: 'custom', message: `glob ${JSON.stringify(pattern)} ${reason}`, input: pattern });
  }),
);

/** `[tool.mlready]` in pyproject.toml, key by key, so one bad key does not discard the others. */
export const CONFIG_KEYS = {
  select: z.array(selector),
  ignore: z.array(selector),
  severity: z.record(ruleName, SEVERITY_OR_OFF),
  'per-file-ignores': z.pipe(
    z.record(glob, z.array(selector)),
    z.transform((table: Record<string, string[]>) => Object.entries(table).map(([pattern, rules]) => ({ pattern, rules }))),
  ),
  seed: z.int().check(z.minimum(0), z.maximum(2 ** 32 - 1)),
  timeout: z.number().check(z.positive(), z.maximum(3600)),
  'llm-timeout': z.number().check(z.positive(), z.maximum(3600)),
  exclude: z.array(glob),
  // Validated by the readiness assessment, which owns the item ids.
  readiness: z.record(z.string(), z.unknown()),
} as const;

/** The configuration as the engine uses it: each key's parsed value (camelCase), whence `MlreadyConfig` is inferred. */
const CONFIG_SCHEMA = z.object({
  select: z.optional(CONFIG_KEYS.select),
  ignore: z.optional(CONFIG_KEYS.ignore),
  severity: CONFIG_KEYS.severity,
  perFileIgnores: CONFIG_KEYS['per-file-ignores'],
  seed: CONFIG_KEYS.seed,
  timeout: CONFIG_KEYS.timeout,
  /** The timeout, in seconds, the LLM fixes insert (`llm-timeout`). */
  llmTimeout: CONFIG_KEYS['llm-timeout'],
  exclude: CONFIG_KEYS.exclude,
  readiness: z.optional(CONFIG_KEYS.readiness),
  /** Folder the config came from: per-file-ignores and exclude globs are relative to it. */
  root: z.optional(z.string()),
});
export type MlreadyConfig = z.output<typeof CONFIG_SCHEMA>;

/** The `MlreadyConfig` field each `[tool.mlready]` key sets. */
export const CONFIG_FIELD = {
  select: 'select',
  ignore: 'ignore',
  severity: 'severity',
  'per-file-ignores': 'perFileIgnores',
  seed: 'seed',
  timeout: 'timeout',
  'llm-timeout': 'llmTimeout',
  exclude: 'exclude',
  readiness: 'readiness',
} as const satisfies { [K in keyof typeof CONFIG_KEYS]: keyof MlreadyConfig };

const EXPECTED: Record<keyof typeof CONFIG_KEYS, string> = {
  select: 'a list of rule names or categories, e.g. ["missing-seed", "reproducibility"]',
  ignore: 'a list of rule names or categories',
  severity: 'a table of rule name to "error", "warning", "info", "hint" or "off"',
  'per-file-ignores': 'a table of glob to a list of rule names, e.g. { "tests/**" = ["print-logging"] }',
  seed: 'a non-negative integer, e.g. 42',
  timeout: 'a positive number of seconds, e.g. 10',
  'llm-timeout': 'a positive number of seconds, e.g. 60',
  exclude: 'a list of globs, e.g. ["build/**"]',
  readiness: 'a table of readiness item ids to attestations',
};

export interface ConfigIssue {
  /** The file the issue is in, if any. */
  file?: string;
  /** Dotted key, e.g. `tool.mlready.seed`. */
  key: string;
  message: string;
  /** 0-based line of the key in the file, when it could be found. */
  line?: number;
}

export const DEFAULT_CONFIG: MlreadyConfig = { severity: {}, perFileIgnores: [], seed: 42, timeout: 10, llmTimeout: 60, exclude: [] };

/** Validates a `[tool.mlready]` table; invalid keys are reported and replaced by their defaults. */
export function validateConfig(table: unknown, file?: string, sourceText?: string): { config: MlreadyConfig; issues: ConfigIssue[] } {
  const config: MlreadyConfig = { ...DEFAULT_CONFIG, severity: {}, perFileIgnores: [], exclude: [] };
  const issues = new IssueList(file);
  if (table === undefined) return { config, issues: issues.list() };
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    issues.add(() => ({ file, key: 'tool.mlready', message: '[tool.mlready] must be a table' }));
    return { config, issues: issues.list() };
  }
  for (const [key, value] of Object.entries(table)) {
    const schema = CONFIG_KEYS[key as keyof typeof CONFIG_KEYS];
    const line = (): number | undefined => (sourceText ? findKeyLine(sourceText, key) : undefined);
    if (!schema) {
      issues.add(() => ({
        file,
        key: `tool.mlready.${key}`,
        line: line(),
        message: `unknown key "${key}" (expected one of: ${Object.keys(CONFIG_KEYS).join(', ')})`,
      }));
      continue;
    }
    if (key === 'severity' && isTable(value)) {
      // Entry by entry: one misspelt rule is reported on its own line, the others still apply.
      config.severity = validateSeverity(value, issues, file, sourceText);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = [key, ...issue.path.map(String)].join('.');
      const got = describeValue(issue.path.reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p as string], value));
      const detail =
        issue.message === 'unknown rule or category' || issue.message === 'unknown rule'
          ? `${issue.message} ${got} (rules: ${[...RULE_NAMES].join(', ')}; categories: ${CATEGORY_NAMES.join(', ')})`
          : issue.message.startsWith('glob ')
            ? issue.message
            : `expected ${EXPECTED[key as keyof typeof CONFIG_KEYS]}, got ${got}`;
      issues.add(() => ({ file, key: `tool.mlready.${where}`, line: line(), message: `tool.mlready.${where}: ${detail}` }));
      continue;
    }
    setField(config, key as keyof typeof CONFIG_KEYS, parsed.data);
  }
  return { config, issues: issues.list() };
}

/**
 * Problems of one configuration listed one by one, at most: the rest are counted in one line.
 * Each problem's line is looked up in the whole text, and a crafted pyproject.toml of 40,000
 * misspelt rules kept `mlready check` (and the language server, which reads the same file) busy
 * for more than two minutes.
 */
export const MAX_CONFIG_ISSUES = 50;

class IssueList {
  private readonly issues: ConfigIssue[] = [];
  private omitted = 0;

  constructor(private readonly file?: string) {}

  /** Adds the problem `make` describes, if fewer than `MAX_CONFIG_ISSUES` are listed (only then is it described). */
  add(make: () => ConfigIssue): void {
    if (this.issues.length < MAX_CONFIG_ISSUES) this.issues.push(make());
    else this.omitted++;
  }

  list(): ConfigIssue[] {
    if (this.omitted === 0) return this.issues;
    return [...this.issues, { file: this.file, key: 'tool.mlready', message: `${this.omitted} more problems in [tool.mlready] are not listed` }];
  }
}

/** Sets the field a key names to the key's parsed value (the schema's output is the field's type). */
function setField<K extends keyof typeof CONFIG_KEYS>(config: MlreadyConfig, key: K, value: unknown): void {
  (config as Record<(typeof CONFIG_FIELD)[K], unknown>)[CONFIG_FIELD[key]] = value;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateSeverity(table: Record<string, unknown>, issues: IssueList, file?: string, sourceText?: string): Record<string, SeverityOrOff> {
  const severity: Record<string, SeverityOrOff> = {};
  for (const [rule, level] of Object.entries(table)) {
    const line = (): number | undefined => (sourceText ? findEntryLine(sourceText, 'severity', rule) : undefined);
    if (!RULE_NAMES.has(rule)) {
      issues.add(() => {
        const close = closestName(rule, RULE_NAMES);
        return {
          file,
          key: `tool.mlready.severity.${rule}`,
          line: line(),
          message: `tool.mlready.severity: unknown rule \`${rule}\`${close ? `; did you mean \`${close}\`?` : ` (rules: ${[...RULE_NAMES].join(', ')})`}`,
        };
      });
      continue;
    }
    const parsed = SEVERITY_OR_OFF.safeParse(level);
    if (!parsed.success) {
      issues.add(() => ({
        file,
        key: `tool.mlready.severity.${rule}`,
        line: line(),
        message: `tool.mlready.severity.${rule}: expected "error", "warning", "info", "hint" or "off", got ${describeValue(level)}`,
      }));
      continue;
    }
    severity[rule] = parsed.data;
  }
  return severity;
}

/** The line of `entry = …` in `[tool.mlready.<table>]`, else the line of the `<table> = { … }` key. */
function findEntryLine(text: string, table: string, entry: string): number | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith('[')) inTable = trimmed.replace(/\s+/g, '') === `[tool.mlready.${table}]`;
    else if (inTable && [`${entry} `, `${entry}=`, `"${entry}"`, `'${entry}'`].some((start) => trimmed.startsWith(start))) return i;
  }
  return findKeyLine(text, table);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return 'a table';
  return `${typeof value} ${String(value)}`;
}

/** Best-effort line of `key = …` inside the `[tool.mlready]` section, for pointing the user at it. */
function findKeyLine(text: string, key: string): number | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let inSection = false;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith('[')) inSection = trimmed.startsWith('[tool.mlready');
    else if (inSection && (trimmed.startsWith(`${key} `) || trimmed.startsWith(`${key}=`) || trimmed.startsWith(`"${key}"`))) return i;
    if (trimmed.startsWith(`[tool.mlready.${key}`)) return i;
  }
  return undefined;
}

export interface LoadedConfig {
  config: MlreadyConfig;
  issues: ConfigIssue[];
  /** The pyproject.toml it came from, if any. */
  file?: string;
  /** The keys the file sets with a valid value (the editor's `configurationPreference` layers by them). */
  keys?: string[];
}

/** The known keys a table sets, less those whose whole value was refused (a severity table keeps its valid entries). */
function validKeys(table: unknown, issues: readonly ConfigIssue[]): string[] {
  if (!isTable(table)) return [];
  return Object.keys(table).filter(
    (key) =>
      key in CONFIG_KEYS &&
      (key === 'severity' || !issues.some((issue) => issue.key === `tool.mlready.${key}` || issue.key.startsWith(`tool.mlready.${key}.`))),
  );
}

/** Parses a pyproject.toml text; a file that is not valid TOML is one issue, and the defaults apply. */
export function configFromPyproject(text: string, file: string): LoadedConfig {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const line = (error as { line?: number }).line;
    return {
      config: { ...DEFAULT_CONFIG, root: path.dirname(file) },
      issues: [
        { file, key: 'pyproject.toml', line: line !== undefined ? line - 1 : undefined, message: `${path.basename(file)} is not valid TOML: ${message}` },
      ],
      file,
    };
  }
  const tool = data.tool as Record<string, unknown> | undefined;
  const { config, issues } = validateConfig(tool?.mlready, file, text);
  config.root = path.dirname(file);
  return { config, issues, file, keys: validKeys(tool?.mlready, issues) };
}

/**
 * Reads a configuration file named explicitly (the editor's `mlready.configuration`): a
 * pyproject.toml's `[tool.mlready]`, or an mlready TOML file whose keys are at the top level
 * (or under `[tool.mlready]`). A missing, unreadable or invalid file is an issue, and the defaults apply.
 */
export function loadConfigFile(file: string): LoadedConfig {
  const failed = (message: string, line?: number): LoadedConfig => ({
    config: { ...DEFAULT_CONFIG, root: path.dirname(file) },
    issues: [{ file, key: path.basename(file), message, line }],
    file,
    keys: [],
  });
  let text: string | undefined;
  try {
    text = readConfigText(file);
  } catch (error) {
    return failed(`${file} not read: ${describeFsError(error)}`);
  }
  if (text === undefined) return failed(`${file} does not exist`);
  if (path.basename(file) === 'pyproject.toml') return configFromPyproject(text, file);
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const line = (error as { line?: number }).line;
    return failed(
      `${path.basename(file)} is not valid TOML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      line !== undefined ? line - 1 : undefined,
    );
  }
  const tool = data.tool as Record<string, unknown> | undefined;
  const table = tool && isTable(tool.mlready) ? tool.mlready : Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'tool'));
  const { config, issues } = validateConfig(table, file, text);
  config.root = path.dirname(file);
  return { config, issues, file, keys: validKeys(table, issues) };
}

/** Finds and reads the nearest pyproject.toml that has a `[tool.mlready]` table (or the nearest at all). */
export class ConfigLoader {
  private readonly byDirectory = new Map<string, LoadedConfig>();

  constructor(private readonly stopAt?: string) {}

  forFile(file: string): LoadedConfig {
    return this.forDirectory(path.dirname(path.resolve(file)));
  }

  forDirectory(directory: string): LoadedConfig {
    const cached = this.byDirectory.get(directory);
    if (cached) return cached;
    let loaded: LoadedConfig | undefined;
    const candidate = path.join(directory, 'pyproject.toml');
    let text: string | undefined;
    try {
      // A regular file under the cap only: a FIFO or a link to /dev/zero is one error, and the defaults apply.
      text = readConfigText(candidate);
    } catch (error) {
      loaded = {
        config: { ...DEFAULT_CONFIG, root: directory },
        issues: [{ file: candidate, key: 'pyproject.toml', message: `pyproject.toml not read: ${describeFsError(error)}; the defaults apply` }],
        file: candidate,
      };
      this.byDirectory.set(directory, loaded);
      return loaded;
    }
    if (text !== undefined) {
      loaded = configFromPyproject(text, candidate);
    } else {
      const parent = path.dirname(directory);
      const atTop = parent === directory || (this.stopAt !== undefined && path.resolve(directory) === path.resolve(this.stopAt));
      loaded = atTop ? { config: { ...DEFAULT_CONFIG }, issues: [] } : this.forDirectory(parent);
    }
    this.byDirectory.set(directory, loaded);
    return loaded;
  }

  invalidate(): void {
    this.byDirectory.clear();
  }
}

/** Overrides from outside the file (CLI flags, editor settings): they win over pyproject.toml. */
export interface ConfigOverrides {
  select?: string[];
  ignore?: string[];
  extendIgnore?: string[];
  severity?: Record<string, SeverityOrOff>;
}

export function applyOverrides(config: MlreadyConfig, overrides: ConfigOverrides | undefined): MlreadyConfig {
  if (!overrides) return config;
  return {
    ...config,
    select: overrides.select ?? config.select,
    ignore: [...(overrides.ignore ?? config.ignore ?? []), ...(overrides.extendIgnore ?? [])],
    severity: { ...config.severity, ...(overrides.severity ?? {}) },
  };
}

function matchesSelector(rule: string, selectorValue: string): boolean {
  if (selectorValue === 'ALL' || selectorValue === rule) return true;
  return RULES.find((r) => r.name === rule)?.category === selectorValue;
}

const globCache = new Map<string, (path: string) => boolean>();
export function globMatcher(pattern: string): (path: string) => boolean {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    if (unsafeGlobReason(pattern)) {
      // Refused by validation already (a config error names the key); never compiled, never matches.
      matcher = () => false;
    } else {
      // A pattern without a slash matches at any depth, like .gitignore and Ruff.
      const effective = pattern.includes('/') ? pattern : `**/${pattern}`;
      const compiled = picomatch(effective, { dot: true, noextglob: true });
      // No real path is longer than PATH_MAX; a longer string is not matched rather than backtracked over.
      matcher = (candidate: string) => candidate.length <= 4096 && compiled(candidate);
    }
    globCache.set(pattern, matcher);
  }
  return matcher;
}

/**
 * Whether exclude globs match a path (relative to the globs' base, `/`-separated) or one of its
 * folders, as the workspace walk skips an excluded folder's whole content.
 */
export function isExcludedPath(patterns: readonly string[], relative: string): boolean {
  if (patterns.length === 0 || relative === '' || relative.startsWith('../') || relative === '..') return false;
  const matchers = patterns.map(globMatcher);
  const parts = relative.split('/');
  for (let i = 1; i <= parts.length; i++) {
    if (matchesExclude(matchers, parts.slice(0, i).join('/'), i < parts.length)) return true;
  }
  return false;
}

/** Whether one entry (a file, or a folder whose content is then skipped whole) matches compiled exclude globs. */
export function matchesExclude(matchers: readonly ((path: string) => boolean)[], relative: string, isDirectory: boolean): boolean {
  return matchers.some((match) => match(relative) || (isDirectory && match(`${relative}/`)));
}

/** The effective severity of each rule for one file, `off` when it does not run there. */
/** The severity of each rule that runs (`rules`, by default every registered rule) on `filePath`, or `off`. */
export function ruleSeverities(config: MlreadyConfig, filePath: string, rules: readonly Rule[] = RULES): ReadonlyMap<string, Severity | 'off'> {
  const ignoredHere = new Set<string>();
  if (config.perFileIgnores.length > 0) {
    const relative = config.root ? path.relative(config.root, path.resolve(filePath)).split(path.sep).join('/') : filePath.split(path.sep).join('/');
    for (const { pattern, rules } of config.perFileIgnores) {
      if (globMatcher(pattern)(relative)) for (const rule of rules) ignoredHere.add(rule);
    }
  }
  // The same for every file with the same per-file ignores: computed once per configuration.
  let perRules = severityCache.get(config);
  if (!perRules) severityCache.set(config, (perRules = new WeakMap()));
  let perIgnores = perRules.get(rules);
  if (!perIgnores) perRules.set(rules, (perIgnores = new Map()));
  const key = [...ignoredHere].sort().join(',');
  const cached = perIgnores.get(key);
  if (cached) return cached;
  const result = new Map<string, Severity | 'off'>();
  for (const rule of rules) {
    const selected = config.select ? config.select.some((s) => matchesSelector(rule.name, s)) : true;
    const ignored = (config.ignore ?? []).some((s) => matchesSelector(rule.name, s)) || [...ignoredHere].some((s) => matchesSelector(rule.name, s));
    const override = config.severity[rule.name];
    result.set(rule.name, !selected || ignored || override === 'off' ? 'off' : (override ?? rule.severity));
  }
  perIgnores.set(key, result);
  return result;
}

/** Severities per configuration, per rule list, per set of rules a file's per-file ignores switch off. */
const severityCache = new WeakMap<MlreadyConfig, WeakMap<readonly Rule[], Map<string, ReadonlyMap<string, Severity | 'off'>>>>();
