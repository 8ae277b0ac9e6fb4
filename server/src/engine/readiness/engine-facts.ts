import * as path from 'node:path';
import type { Engine } from '../index';
import { ConfigLoader, ruleSeverities, type LoadedConfig, type MlreadyConfig } from '../config';
import { factsKey, type FactsCache } from './facts-cache';
import { locate, type Analysis } from '../analyze';
import { parseNotebookJson } from '../notebook';
import { dottedText } from '../semantic';
import { literalText } from '../literals';
import { StringPool } from '../text';
import type { SyntaxNode } from '../parser';
import { emptyFacts, type Effect, type FactsProvider, type Located, type PythonFacts } from './facts';
import { RULES_READ } from './detect';
import { RULES } from '../rules';
import type { Rule } from '../rule';

let readRules: readonly Rule[] | undefined;

/** The registered rules the readiness items read (`RULES_READ`), in the registry's order. */
function rulesRead(): readonly Rule[] {
  readRules ??= RULES.filter((rule) => (RULES_READ as readonly string[]).includes(rule.name));
  return readRules;
}

/** One file to take facts from: its text, read by the scan, and where it lies. */
export interface FactsInput {
  absPath?: string;
  relPath: string;
  kind: 'script' | 'notebook';
  text: string;
}

/**
 * Computes files' facts on other threads, each with an `EngineFactsProvider` for the same root:
 * what `analyse` computes here, computed there. The analysis is most of a scan (71% of
 * `mlready readiness` on huggingface/diffusers in one thread), and each file's is its own.
 */
export interface FactsWorkers {
  /** How many files may be in flight at once (enough to keep every thread busy). */
  readonly concurrency: number;
  analyse(input: FactsInput): Promise<PythonFacts>;
  /** Told how many files the scan will ask about, before the first: a few files are not worth many threads. */
  expect?(files: number): void;
}

/** What analyses the files: an engine, in this thread, or other threads. */
export type FactsAnalyser = Engine | FactsWorkers;

/**
 * Reduces the engine's analysis of one file (one parse, the semantic model, the rule findings)
 * to the facts the readiness checks read. The analysis holds the engine's copy of the tree in
 * plain arrays; tree-sitter's own tree is freed as soon as it was copied.
 */
export class EngineFactsProvider implements FactsProvider {
  private readonly configs: ConfigLoader | undefined;
  /** The facts' strings, kept for the whole scan: copied out of each file's text, one copy of each. */
  private readonly strings = new StringPool();

  /** Each configuration as JSON, with the file it came from: part of what a file's facts are computed from (`factsKey`). */
  private readonly configKeys = new WeakMap<MlreadyConfig, string>();

  /** The engine that analyses files here, or the threads that analyse them (and no engine here). */
  private readonly engine: Engine | undefined;
  private readonly workers: FactsWorkers | undefined;

  /**
   * Files are analysed by `analyser`: an engine here, or threads (the faces' `FactsPool`), each
   * with an engine and a provider of its own. With `root`, each file is analysed with the
   * project's configuration (select, ignore, per-file ignores, seed), as `mlready check` does.
   * With `cache`, a file whose text and configuration are those of the scan the cache comes from
   * is not analysed again.
   */
  constructor(
    analyser: FactsAnalyser,
    private readonly root?: string,
    private readonly cache?: FactsCache,
  ) {
    // (An engine has no `concurrency`: only the threads say how many files they take at once.)
    if ('concurrency' in analyser) this.workers = analyser;
    else this.engine = analyser;
    this.configs = root ? new ConfigLoader(root) : undefined;
  }

  get concurrency(): number {
    return this.workers?.concurrency ?? 1;
  }

  expect(files: number): void {
    this.workers?.expect?.(files);
  }

  /** Rules the project's configuration turns off everywhere (`select`/`ignore`, severity "off"). */
  rulesOff(): Set<string> {
    if (!this.configs || !this.root) return new Set();
    const config = this.configs.forDirectory(this.root).config;
    return new Set([...ruleSeverities(config, path.join(this.root, '__project__.py'))].filter(([, severity]) => severity === 'off').map(([rule]) => rule));
  }

  facts(input: FactsInput): PythonFacts | Promise<PythonFacts> {
    try {
      const key = this.cache ? factsKey(input.kind, input.text, this.configKey(this.loadedFor(input))) : undefined;
      const cached = key === undefined ? undefined : this.cache?.lookup(input.relPath, key);
      // Parsed from JSON (or copied from another thread): fresh objects, interned where they are.
      if (cached) return this.strings.internInPlace(cached);
      if (this.workers)
        return this.workers.analyse(input).then(
          (facts) => this.keep(input.relPath, key, this.strings.internInPlace(facts)),
          (error: unknown) => failedFacts(input, error),
        );
      return this.keep(input.relPath, key, this.strings.compact(this.analyse(input)));
    } catch (error) {
      return failedFacts(input, error);
    }
  }

  /** One file's facts as the analysis gives them, neither interned nor cached: what a worker thread answers. */
  analyse(input: FactsInput): PythonFacts {
    if (!this.engine) throw new Error('this provider analyses on other threads');
    const config = this.loadedFor(input)?.config;
    // Per-file ignores match paths relative to the configuration's folder: analyse under the absolute path.
    const shown = config && input.absPath ? input.absPath : input.relPath;
    const source =
      input.kind === 'notebook'
        ? { path: shown, kind: 'notebook' as const, cells: parseNotebookJson(input.text).cells }
        : { path: shown, kind: 'script' as const, text: input.text };
    // Only the rules whose findings the items read: the other findings would be computed and dropped.
    const analysis = this.engine.analyze(source, { config, rules: rulesRead() });
    return { ...extractFacts(analysis), path: input.relPath };
  }

  private keep(relPath: string, key: string | undefined, facts: PythonFacts): PythonFacts {
    if (key !== undefined) this.cache?.store(relPath, key, facts);
    return facts;
  }

  private loadedFor(input: FactsInput): LoadedConfig | undefined {
    return this.configs && input.absPath ? this.configs.forFile(input.absPath) : undefined;
  }

  private configKey(loaded: LoadedConfig | undefined): string {
    if (!loaded) return '';
    let key = this.configKeys.get(loaded.config);
    if (key === undefined) {
      // Per-file ignores are globs relative to the configuration's folder: the same table elsewhere is another configuration.
      key = `${loaded.file ?? ''}\0${JSON.stringify(loaded.config)}`;
      this.configKeys.set(loaded.config, key);
    }
    return key;
  }
}

/** The facts of a file that could not be analysed: none, and why. */
function failedFacts(input: FactsInput, error: unknown): PythonFacts {
  return emptyFacts(input.relPath, input.kind, error instanceof Error ? error.message : String(error));
}

const STATEMENT_TYPES = ['string', 'assert_statement', 'raise_statement', 'try_statement', 'if_statement'];
/** Calls that end the run with a failure. */
const FAILING_CALLS = new Set(['sys.exit', 'exit', 'quit', 'os._exit', 'builtins.exit', 'pytest.fail', 'pytest.exit']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'print', 'write']);

/** What every part of the extraction reads: the analysis, its model, and where a node is. */
interface Extraction {
  analysis: Analysis;
  model: Analysis['model'];
  facts: PythonFacts;
  where: (node: SyntaxNode) => Located;
  nameOf: (node: SyntaxNode | null) => string | undefined;
  calleeOf: (call: SyntaxNode) => string | undefined;
}

/**
 * The facts of one analysed file. Each kind of fact is taken by a function of its own: as one
 * function, V8 optimised the whole of it again after every deoptimisation (a record's key list
 * that changed element kind, a new object shape). On huggingface/diffusers' `src` (1,031 files,
 * one thread) that was 20 optimising compiles and 52 deoptimisations: the extraction added 2.3 s
 * to the analysis and 7.3 s of CPU (the compiler's threads); split, 1.1 s and 1.6 s.
 */
export function extractFacts(analysis: Analysis): PythonFacts {
  const { model } = analysis;
  const x: Extraction = {
    analysis,
    model,
    facts: emptyFacts(analysis.path, analysis.kind),
    where: (node) => {
      const placed = locate(node.startIndex, node.startIndex, analysis.lines, analysis.notebook);
      return placed.cell === undefined ? { line: placed.range.start.line + 1 } : { line: placed.range.start.line + 1, cell: placed.cell };
    },
    nameOf: (node) => (node ? (model.qualifiedName(node) ?? dottedText(node)) : undefined),
    calleeOf: (call) => {
      const fn = call.childForFieldName('function');
      return model.callee(call) ?? (fn ? dottedText(fn) : undefined);
    },
  };
  addImports(x);
  addCalls(x);
  addClasses(x);
  addFunctions(x);
  addNames(x);
  addRecords(x);
  addStatements(x);
  addFindings(x);
  if (analysis.notebook) x.facts.cellNumbers = analysis.notebook.cells.map((cell) => cell.notebookIndex + 1);
  return x.facts;
}

function addImports({ model, facts, where }: Extraction): void {
  const statements = new Set<number>();
  for (const binding of model.imports) {
    if (statements.has(binding.node.id)) continue;
    statements.add(binding.node.id);
    for (const module of importedModules(binding.node)) facts.imports.push({ ...where(binding.node), module });
  }
}

// `torch.Generator("cuda").manual_seed(seed)`: a method called on a call's result is named after
// the inner callee (`torch.Generator().manual_seed`), so its method still counts.
// `df["plan"].isin(...)`: a method called on a subscript or another expression keeps its method too.
function chainedName(model: Analysis['model'], fn: SyntaxNode | null): string | undefined {
  if (fn?.type !== 'attribute') return undefined;
  const object = fn.childForFieldName('object');
  const attr = fn.childForFieldName('attribute')?.text;
  if (!attr || !object) return undefined;
  if (object.type !== 'call') return `${dottedText(object) ?? object.type}.${attr}`;
  const inner =
    model.callee(object) ?? chainedName(model, object.childForFieldName('function')) ?? dottedText(object.childForFieldName('function') ?? object) ?? 'call';
  return `${inner}().${attr}`;
}

function addCalls({ model, facts, where }: Extraction): void {
  for (const call of model.calls) {
    const fn = call.childForFieldName('function');
    const name = model.callee(call) ?? (fn ? dottedText(fn) : undefined) ?? chainedName(model, fn);
    if (!name) continue;
    const args = call.childForFieldName('arguments');
    const keywords: string[] = [];
    const strings: string[] = [];
    const falseKeywords: string[] = [];
    const argNames: string[] = [];
    for (const arg of args?.namedChildren ?? []) {
      if (!arg) continue;
      if (arg.type === 'keyword_argument') {
        const key = arg.childForFieldName('name')?.text;
        if (key) keywords.push(key);
        const value = arg.childForFieldName('value');
        if (value?.type === 'string') strings.push(literalText(value));
        if (value?.type === 'false' && key) falseKeywords.push(key);
      } else if (arg.type === 'string') {
        strings.push(literalText(arg));
      }
      const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
      if (value?.type === 'identifier') argNames.push(value.text);
    }
    facts.calls.push({
      ...where(call),
      name,
      method: name.slice(name.lastIndexOf('.') + 1),
      keywords,
      strings,
      ...(falseKeywords.length ? { falseKeywords } : {}),
      ...(argNames.length ? { argNames } : {}),
    });
    for (const arg of args?.namedChildren ?? []) {
      const dict =
        arg?.type === 'dictionary'
          ? arg
          : arg?.type === 'keyword_argument' && arg.childForFieldName('value')?.type === 'dictionary'
            ? arg.childForFieldName('value')
            : null;
      if (!dict) continue;
      const keys = dict.namedChildren
        .filter((pair): pair is SyntaxNode => pair?.type === 'pair')
        .map((pair) => pair.childForFieldName('key'))
        .filter((key): key is SyntaxNode => key?.type === 'string')
        .map(literalText);
      facts.records.push({ ...where(dict), call: name, keys, spread: dict.namedChildren.some((child) => child?.type === 'dictionary_splat') });
    }
  }
}

function addClasses({ model, facts, where, nameOf }: Extraction): void {
  for (const cls of model.classes) {
    const name = cls.childForFieldName('name')?.text;
    if (!name) continue;
    const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? [])
      .filter((base): base is SyntaxNode => base !== null && base.type !== 'keyword_argument')
      .map((base) => nameOf(base) ?? base.text);
    facts.classes.push({ ...where(cls), name, bases });
  }
}

function addFunctions({ model, facts, where, nameOf }: Extraction): void {
  for (const fn of model.functions) {
    const name = fn.childForFieldName('name')?.text;
    if (!name) continue;
    const decorators: { name: string; strings: string[] }[] = [];
    if (fn.parent?.type === 'decorated_definition') {
      for (const decorator of fn.parent.namedChildren) {
        if (decorator?.type !== 'decorator') continue;
        const expr = decorator.namedChild(0);
        if (!expr) continue;
        if (expr.type === 'call') {
          const strings = (expr.childForFieldName('arguments')?.namedChildren ?? [])
            .filter((arg): arg is SyntaxNode => arg?.type === 'string')
            .map(literalText);
          decorators.push({ name: nameOf(expr.childForFieldName('function')) ?? expr.text, strings });
        } else {
          decorators.push({ name: nameOf(expr) ?? expr.text, strings: [] });
        }
      }
    }
    facts.functions.push({ ...where(fn), name, decorators });
  }
}

function addNames({ model, facts, where, calleeOf }: Extraction): void {
  for (const assignment of model.assignments) {
    const from = assignment.value.type === 'call' ? calleeOf(assignment.value) : undefined;
    const name = assignment.name.slice(assignment.name.lastIndexOf('.') + 1);
    facts.names.push(from ? { ...where(assignment.statement), name, from } : { ...where(assignment.statement), name });
  }
}

function addRecords({ model, facts, where }: Extraction): void {
  for (const assignment of model.assignments) {
    if (assignment.value.type !== 'dictionary' || assignment.index !== undefined) continue;
    const dict = assignment.value;
    const keys = dict.namedChildren
      .filter((pair): pair is SyntaxNode => pair?.type === 'pair')
      .map((pair) => pair.childForFieldName('key'))
      .filter((key): key is SyntaxNode => key?.type === 'string')
      .map(literalText);
    facts.records.push({
      ...where(dict),
      call: '',
      name: assignment.name,
      keys,
      spread: dict.namedChildren.some((child) => child?.type === 'dictionary_splat'),
    });
  }
  // Keys added later (`entry["input"] = record`) belong to the same record.
  for (const node of model.root.descendantsOfType('assignment')) {
    const left = node.childForFieldName('left');
    const index = left?.type === 'subscript' ? left.childForFieldName('subscript') : null;
    const target = left?.type === 'subscript' ? left.childForFieldName('value') : null;
    if (index?.type !== 'string' || target?.type !== 'identifier') continue;
    const record = facts.records.find((r) => r.name === target.text);
    if (record) record.keys.push(literalText(index));
  }
}

function addStatements({ model, facts, where, calleeOf }: Extraction): void {
  const effects = (block: SyntaxNode | null): Effect[] =>
    block ? block.namedChildren.filter((s): s is SyntaxNode => s !== null && s.type !== 'comment').map((statement) => effectOf(statement, calleeOf)) : [];

  for (const node of model.root.descendantsOfType(STATEMENT_TYPES)) {
    switch (node.type) {
      case 'string':
        if (node.parent?.type !== 'concatenated_string' || node.parent.firstNamedChild?.id === node.id) {
          const value =
            node.parent?.type === 'concatenated_string'
              ? node.parent.namedChildren.map((part) => (part?.type === 'string' ? literalText(part) : '')).join('')
              : literalText(node);
          facts.strings.push({ ...where(node), value });
        }
        break;
      case 'assert_statement': {
        facts.asserts.push(where(node));
        const test = node.namedChild(0);
        if (test && isComparison(test)) facts.checks.push({ ...where(node), kind: 'assert', compares: true, ...describeTest(test, calleeOf), then: ['fail'] });
        break;
      }
      case 'if_statement': {
        const test = node.childForFieldName('condition');
        if (test)
          facts.checks.push({
            ...where(node),
            kind: 'if',
            compares: isComparison(test),
            ...describeTest(test, calleeOf),
            then: effects(node.childForFieldName('consequence')),
          });
        break;
      }
      case 'raise_statement':
        facts.raises.push(where(node));
        break;
      case 'try_statement': {
        facts.tryCount++;
        const body = node.childForFieldName('body');
        const calls = body
          ? body
              .descendantsOfType('call')
              .map(calleeOf)
              .filter((name): name is string => name !== undefined)
          : [];
        const handlers = node.namedChildren
          .filter((child): child is SyntaxNode => child?.type === 'except_clause' || child?.type === 'except_group_clause')
          .map((clause) => effects(clause.namedChildren.find((child) => child?.type === 'block') ?? null));
        const mentions = body ? [...new Set(body.descendantsOfType('identifier').map((id) => id.text))] : [];
        facts.tries.push({ ...where(node), calls, mentions, handlers });
        break;
      }
    }
  }
}

function addFindings({ analysis, facts }: Extraction): void {
  for (const finding of analysis.findings) {
    const located: Located = finding.cell === undefined ? { line: finding.range.start.line + 1 } : { line: finding.range.start.line + 1, cell: finding.cell };
    facts.findings.push({ ...located, rule: finding.rule, message: finding.message });
  }
}

function isComparison(test: SyntaxNode): boolean {
  return test.type === 'comparison_operator' || test.descendantsOfType('comparison_operator').length > 0;
}

/** The names, callees and numeric literals of a condition. */
function describeTest(
  test: SyntaxNode,
  calleeOf: (call: SyntaxNode) => string | undefined,
): { names: string[]; calls: string[]; number: boolean; none: boolean; operators: string[] } {
  const names = new Set<string>();
  for (const node of [test, ...test.descendantsOfType(['identifier', 'attribute', 'subscript'])]) {
    if (node.type === 'identifier' && node.parent?.type !== 'attribute') names.add(node.text);
    else if (node.type === 'attribute') {
      const attr = node.childForFieldName('attribute')?.text;
      if (attr) names.add(attr);
      const object = node.childForFieldName('object');
      if (object?.type === 'identifier') names.add(object.text);
    } else if (node.type === 'subscript') {
      const index = node.childForFieldName('subscript');
      if (index?.type === 'string') names.add(literalText(index));
    }
  }
  const calls = test
    .descendantsOfType('call')
    .map(calleeOf)
    .filter((name): name is string => name !== undefined);
  // A literal compared with, not an index (`losses[0] > losses[-1]` compares no threshold).
  const inIndex = (node: SyntaxNode): boolean => {
    for (let up = node.parent; up && up.id !== test.parent?.id; up = up.parent)
      if (up.parent?.type === 'subscript' && up.parent.childForFieldName('subscript')?.id === up.id) return true;
    return node.parent?.type === 'subscript' && node.parent.childForFieldName('subscript')?.id === node.id;
  };
  const number = [test, ...test.descendantsOfType(['integer', 'float'])].some((node) => (node.type === 'integer' || node.type === 'float') && !inIndex(node));
  const none = test.type === 'none' || test.descendantsOfType('none').length > 0;
  const operators = [test, ...test.descendantsOfType('comparison_operator')]
    .filter((node) => node.type === 'comparison_operator')
    .flatMap((node) => node.childrenForFieldName('operators').map((op) => op.type));
  return { names: [...names], calls, number, none, operators };
}

/** What one statement of a guarded block does. */
function effectOf(statement: SyntaxNode, calleeOf: (call: SyntaxNode) => string | undefined): Effect {
  switch (statement.type) {
    case 'raise_statement':
      return 'fail';
    case 'return_statement':
      return 'return';
    case 'pass_statement':
      return 'pass';
    case 'expression_statement': {
      const expr = statement.namedChild(0);
      if (expr?.type === 'assignment' || expr?.type === 'augmented_assignment') return 'assign';
      if (expr?.type === 'call') {
        const name = calleeOf(expr) ?? '';
        if (FAILING_CALLS.has(name)) return 'fail';
        if (LOG_METHODS.has(name.slice(name.lastIndexOf('.') + 1))) return 'log';
      }
      return 'other';
    }
    default:
      return 'other';
  }
}

/** `import a.b as c, d` → a.b, d; `from a.b import c, d as e` → a.b.c, a.b.d; `from a import *` → a. */
function importedModules(node: SyntaxNode): string[] {
  if (node.type === 'import_statement') {
    return node.namedChildren
      .flatMap((child) => {
        if (child?.type === 'dotted_name') return [child.text];
        if (child?.type === 'aliased_import') return [child.childForFieldName('name')?.text ?? ''];
        return [];
      })
      .filter(Boolean);
  }
  if (node.type === 'future_import_statement') return ['__future__'];
  const module = node.childForFieldName('module_name')?.text;
  if (!module || module.startsWith('.')) return [];
  const names = node
    .childrenForFieldName('name')
    .flatMap((child) => {
      if (child?.type === 'dotted_name') return [child.text];
      if (child?.type === 'aliased_import') return [child.childForFieldName('name')?.text ?? ''];
      return [];
    })
    .filter(Boolean);
  return names.length === 0 ? [module] : names.map((name) => `${module}.${name}`);
}
