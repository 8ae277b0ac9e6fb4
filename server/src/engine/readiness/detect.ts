import type { Evidence } from './types';
import type { Located, PythonFacts } from './facts';
import { isTestPath, perWorkspace, type Workspace } from './workspace';
import { DEMO_UI_MODULES, SERVICE_MODULES } from '../knowledge/index';
import { isDocument } from './markdown';
import { redact } from '../secrets';
import { holdsConfiguration, type ScalarAt } from './scalars';

/** Building blocks the item checks share: library matching, evidence, documents, CI and configuration files. */

/**
 * Longest evidence note kept. Notes quote the workspace (a requirement, a command, a string): a
 * requirements.txt line of 1 MB made a 1 MB note in every report and in the editor's panel. Real
 * notes are under 300 characters. A secret is masked before the note is cut, so no cut can leave
 * more of it than the mask shows.
 */
const MAX_NOTE_CHARS = 500;

export function ev(pathName: string, line: number, note: string, cell?: number): Evidence {
  const shown = note.length > MAX_NOTE_CHARS ? `${redact(note).slice(0, MAX_NOTE_CHARS - 1)}…` : note;
  return cell === undefined ? { path: pathName, line, note: shown } : { path: pathName, line, note: shown, cell };
}

function at(facts: PythonFacts, located: Located, note: string): Evidence {
  return ev(facts.path, located.line, note, located.cell);
}

/**
 * The first of `libs` that `module` is or is inside (`sklearn.metrics` is inside `sklearn`).
 * The items ask it of every call of every file, most of them more than once: on
 * huggingface/diffusers (400,000 calls) scanning each list took a third of the assessment. The
 * libraries that contain `module` are the prefixes of `module` that end before one of its dots,
 * and `module` itself, so each is looked up in an index of the list, built once per list.
 */
export function matchesAny(module: string, libs: readonly string[]): string | undefined {
  const index = libraryIndex(libs);
  let first = index.get(module) ?? libs.length;
  for (let dot = module.indexOf('.'); dot !== -1; dot = module.indexOf('.', dot + 1)) {
    const position = index.get(module.slice(0, dot));
    if (position !== undefined && position < first) first = position;
  }
  return first < libs.length ? libs[first] : undefined;
}

/** Each library list's first position of each library (lists are constants: one index each). */
const LIBRARY_INDEXES = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

function libraryIndex(libs: readonly string[]): ReadonlyMap<string, number> {
  let index = LIBRARY_INDEXES.get(libs);
  if (!index) {
    const positions = new Map<string, number>();
    for (const [position, lib] of libs.entries()) if (!positions.has(lib)) positions.set(lib, position);
    LIBRARY_INDEXES.set(libs, (index = positions));
  }
  return index;
}

export type Role = 'code' | 'test' | 'notebook';

/** Each file's role and whether it serves, worked out once: every item filters the files by them. */
const ROLES = new WeakMap<PythonFacts, Role>();
const SERVING = new WeakMap<PythonFacts, boolean>();

export function roleOf(facts: PythonFacts): Role {
  let role = ROLES.get(facts);
  if (role === undefined) {
    role = facts.kind === 'notebook' ? 'notebook' : isTestPath(facts.path) ? 'test' : 'code';
    ROLES.set(facts, role);
  }
  return role;
}

/** Modules whose import makes a module a service (engine/knowledge). */
export const SERVING_LIBS = SERVICE_MODULES;
export const DEMO_UI_LIBS = DEMO_UI_MODULES;

export function isServingFile(facts: PythonFacts): boolean {
  let serving = SERVING.get(facts);
  if (serving === undefined) {
    serving = roleOf(facts) === 'code' && facts.imports.some((imp) => matchesAny(imp.module, SERVING_LIBS));
    SERVING.set(facts, serving);
  }
  return serving;
}

export interface FileFilter {
  roles?: readonly Role[];
  serving?: boolean;
}

export function pythonFiles(ws: Workspace, filter: FileFilter = {}): PythonFacts[] {
  return ws.python.filter((facts) => {
    if (facts.error) return false;
    if (filter.roles && !filter.roles.includes(roleOf(facts))) return false;
    if (filter.serving !== undefined && isServingFile(facts) !== filter.serving) return false;
    return true;
  });
}

/** One piece of evidence per file and library imported. */
export function importEvidence(ws: Workspace, libs: readonly string[], filter: FileFilter = {}, verb = 'imports'): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, filter)) {
    const seen = new Set<string>();
    for (const imp of facts.imports) {
      const lib = matchesAny(imp.module, libs);
      if (!lib || seen.has(lib)) continue;
      seen.add(lib);
      out.push(at(facts, imp, `${verb} \`${imp.module}\``));
    }
  }
  return out;
}

/** Calls whose qualified name is (or is inside) one of `names`, or whose method name is one of `methods`. */
export function callEvidence(
  ws: Workspace,
  match: { names?: readonly string[]; methods?: readonly string[]; keyword?: string },
  filter: FileFilter = {},
  note?: (name: string) => string,
): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, filter)) {
    for (const call of facts.calls) {
      const byName = match.names && matchesAny(call.name, match.names);
      const byMethod = match.methods && match.methods.includes(call.method);
      if (!byName && !byMethod) continue;
      if (match.keyword && !call.keywords.includes(match.keyword)) continue;
      out.push(at(facts, call, note ? note(call.name) : `calls \`${call.name}()\``));
    }
  }
  return dedupe(out);
}

export function namesEvidence(ws: Workspace, pattern: RegExp, filter: FileFilter = {}, what = 'defines'): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, filter)) {
    for (const fn of facts.functions) if (pattern.test(fn.name)) out.push(at(facts, fn, `${what} function \`${fn.name}\``));
    for (const name of facts.names) if (pattern.test(name.name)) out.push(at(facts, name, `${what} \`${name.name}\``));
    for (const cls of facts.classes) if (pattern.test(cls.name)) out.push(at(facts, cls, `${what} class \`${cls.name}\``));
  }
  return dedupe(out);
}

export function stringEvidence(ws: Workspace, pattern: RegExp, filter: FileFilter = {}, note: (value: string) => string): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, filter)) {
    for (const literal of facts.strings) {
      const match = pattern.exec(literal.value);
      if (match) out.push(at(facts, literal, note(match[0])));
    }
  }
  return dedupe(out);
}

/**
 * The rules whose findings the readiness items read: the scan runs only these (a third of the
 * registry), and `findingEvidence` takes no other name.
 */
export const RULES_READ = [
  'hardcoded-secret',
  'llm-call-without-timeout',
  'missing-seed',
  'model-load-per-request',
  'notebook-out-of-order',
  'print-logging',
  'request-without-timeout',
  'swallowed-error',
  'unsafe-deserialization',
  'untracked-training',
  'unvalidated-llm-output',
  'unversioned-artifact',
] as const;
export type RuleRead = (typeof RULES_READ)[number];

export function findingEvidence(ws: Workspace, rule: RuleRead): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of ws.python) {
    for (const finding of facts.findings) if (finding.rule === rule) out.push(at(facts, finding, `${rule}: ${finding.message}`));
  }
  return out;
}

export function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => {
    const key = `${item.path}:${item.cell ?? ''}:${item.line}:${item.note}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Keeps the evidence list short enough to read: at most `max` entries, at most `perFile` per file. */
export function limit(evidence: Evidence[], max = 8, perFile = 3): Evidence[] {
  const perPath = new Map<string, number>();
  const out: Evidence[] = [];
  for (const item of evidence) {
    const count = perPath.get(item.path) ?? 0;
    if (count >= perFile) continue;
    perPath.set(item.path, count + 1);
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

export function plural(count: number, word: string, words = word + 's'): string {
  return `${count} ${count === 1 ? word : words}`;
}

// ---- documents --------------------------------------------------------------------------------

/** Prose documents: READMEs first, then model cards, then the rest; requirement files excluded. */
export function docFiles(ws: Workspace): string[] {
  const docs = ws.textFiles().filter(isDocument);
  const rank = (rel: string): number => (/(^|\/)readme[^/]*$/i.test(rel) ? (rel.includes('/') ? 1 : 0) : isModelCard(rel) ? 2 : 3);
  return docs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function isModelCard(rel: string): boolean {
  return /(^|\/)(model[_-]?card|modelcard)[^/]*\.(md|markdown|json|ya?ml|rst)$/i.test(rel);
}

/** Lines of the documents matching `pattern`, outside fenced code blocks. */
export function docLines(ws: Workspace, pattern: RegExp, files = docFiles(ws)): { path: string; line: number; text: string; match: RegExpExecArray }[] {
  const out: { path: string; line: number; text: string; match: RegExpExecArray }[] = [];
  for (const rel of files) {
    const text = ws.text(rel);
    if (text === undefined) continue;
    let fenced = false;
    text.split(/\r\n|\r|\n/).forEach((line, index) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return;
      const match = pattern.exec(line);
      if (match) out.push({ path: rel, line: index + 1, text: line.trim(), match });
    });
  }
  return out;
}

/** Headings of the documents (Markdown, and RST's underlined titles) with the number of non-empty lines under them, read with markdown-it. */
export function docSections(ws: Workspace, files = docFiles(ws)): { path: string; line: number; heading: string; body: number }[] {
  return files.flatMap((rel) => ws.outline(rel)?.headings.map((h) => ({ path: rel, line: h.line, heading: h.text, body: h.body })) ?? []);
}

/** Labelled list items of the documents (`- **Intended use**: …`), the other way model cards are written. */
export function docLabels(ws: Workspace, files = docFiles(ws)): { path: string; line: number; label: string; text: string }[] {
  return files.flatMap((rel) => ws.outline(rel)?.labels.map((l) => ({ path: rel, ...l })) ?? []);
}

export function excerpt(text: string, max = 90): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
}

// ---- structured configuration -----------------------------------------------------------------

/** YAML, TOML and JSON configuration files outside CI definitions, lock files and notebooks. */
export function configFiles(ws: Workspace): string[] {
  return ws.textFiles().filter((rel) => holdsConfiguration(rel) && !CI_FILE.test(rel));
}

/**
 * The scalars of every configuration file, gathered once per workspace. On
 * EleutherAI/lm-evaluation-harness (13,902 task YAML files) walking every file's scalars again for
 * each item that asked took about 0.85 s of a 10 s report, on top of the 3 s of parsing them once.
 */
export const configScalars: (ws: Workspace) => readonly ScalarAt[] = perWorkspace((ws) => configFiles(ws).flatMap((rel) => ws.scalars(rel)));

// ---- CI -----------------------------------------------------------------------------------------

export const CI_FILE =
  /^(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.gitlab\/.*\.ya?ml|azure-pipelines\.ya?ml|\.azure-pipelines\/.*\.ya?ml|bitbucket-pipelines\.ya?ml|\.circleci\/config\.ya?ml|\.buildkite\/.*\.ya?ml|Jenkinsfile|\.drone\.ya?ml|\.woodpecker\.ya?ml|cloudbuild\.ya?ml)$/;

export function ciFiles(ws: Workspace): string[] {
  return ws.files.filter((rel) => CI_FILE.test(rel));
}

const COMMAND_KEYS = new Set([
  'run',
  'script',
  'scripts',
  'command',
  'commands',
  'before_script',
  'after_script',
  'cmd',
  'args',
  'entrypoint',
  'inlineScript',
  'steps',
]);

/** Shell commands in CI definitions (YAML `run`/`script`/… values; Jenkinsfile `sh` lines), one per line of a multi-line block. */
export function ciCommands(ws: Workspace): { path: string; line: number; command: string }[] {
  const out: { path: string; line: number; command: string }[] = [];
  for (const rel of ciFiles(ws)) {
    if (rel.endsWith('Jenkinsfile')) {
      (ws.text(rel) ?? '').split(/\r\n|\r|\n/).forEach((line, index) => {
        const sh = /\b(sh|bat|powershell)\s*\(?\s*['"]{1,3}(.+?)['"]{1,3}/.exec(line);
        if (sh) out.push({ path: rel, line: index + 1, command: sh[2] });
      });
      continue;
    }
    for (const scalar of ws.scalars(rel)) {
      const value = scalar.value;
      const lastKey = scalar.keys[scalar.keys.length - 1];
      // An action's input that configures pytest (`pytest-args: -v`) means the action runs pytest.
      if (typeof lastKey === 'string' && /pytest/i.test(lastKey) && scalar.keys.includes('with')) {
        out.push({ path: rel, line: scalar.line, command: `pytest ${value ?? ''}`.trim() });
        continue;
      }
      if (typeof value !== 'string') continue;
      if (!scalar.keys.some((key) => typeof key === 'string' && COMMAND_KEYS.has(key))) continue;
      // A block scalar (`run: |`) starts on the line after its indicator.
      const blockStart = /\n/.test(value) ? 1 : 0;
      value.split('\n').forEach((command, offset) => {
        if (command.trim()) out.push({ path: rel, line: scalar.line + offset + blockStart, command: command.trim() });
      });
    }
  }
  return out;
}

/** Commands that run the test suite. */
export const TEST_COMMAND =
  /\b(pytest|py\.test|python[\d.]*\s+-m\s+(pytest|unittest)|tox|nox|make\s+(test|check)|hatch\s+(run\s+)?test|poetry\s+run\s+pytest|uv\s+run\s+pytest)\b/;

// ---- DVC ----------------------------------------------------------------------------------------

export interface DvcStage {
  path: string;
  name: string;
  line: number;
  cmd: string[];
  outs: string[];
  metrics: boolean;
}

export function dvcStages(ws: Workspace): DvcStage[] {
  const out: DvcStage[] = [];
  for (const rel of ws.findByName(/^dvc\.ya?ml$/)) {
    const file = ws.yaml(rel);
    const stages = (file?.docs[0]?.value as { stages?: unknown } | undefined)?.stages;
    if (!file || stages === null || typeof stages !== 'object' || Array.isArray(stages)) continue;
    for (const [name, raw] of Object.entries(stages as Record<string, unknown>)) {
      const stage = (raw ?? {}) as Record<string, unknown>;
      const asList = (value: unknown): string[] =>
        (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) =>
          typeof item === 'object' && item !== null ? Object.keys(item)[0] : String(item),
        );
      const source = typeof stage.do === 'object' && stage.do !== null ? (stage.do as Record<string, unknown>) : stage;
      out.push({
        path: rel,
        name,
        line: file.line(0, ['stages', name]),
        cmd: asList(source.cmd),
        outs: asList(source.outs),
        metrics: source.metrics !== undefined || source.plots !== undefined,
      });
    }
  }
  return out;
}
