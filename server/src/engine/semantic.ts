import { NodeTable, type SyntaxNode } from './parser';
import type { Grammar } from './syntax';
import { lowerBound } from './sorted';
import { WordOccurrences } from './text';

/** A name bound by an import: `import pandas as pd` binds `pd` to `pandas`. */
export interface ImportBinding {
  local: string;
  qualified: string;
  node: SyntaxNode;
  start: number;
}

/** A name bound by an assignment; for `a, b = f()` there is one per name, with its index. */
export interface Assignment {
  name: string;
  /** Position of the name in a tuple target (`a, b = …`), or undefined for a plain target. */
  index: number | undefined;
  value: SyntaxNode;
  statement: SyntaxNode;
  start: number;
  /** Start offset of the enclosing function, or -1 at module level. */
  scope: number;
}

/** What a tracked statement's rules asked of the model (see `SemanticModel.tracker`). */
export interface StatementTracker {
  /** A whole-file list or fact was read: the statement's findings depend on the whole file. */
  wholeFile(): void;
  /** A position was asked about; outside the statement it depends on the rest of the file. */
  at(offset: number): void;
  /** `valueOf(name)` at `offset` gave `found`. */
  lookup(name: string, offset: number, found: Assignment | undefined): void;
  /** A file-level fact was asked `question` and gave `answer` (see `SemanticModel.askedFact`). */
  fact(fact: FileFact<unknown>, question: string, answer: string): void;
}

/**
 * A fact about the whole file that statement-scoped rules read (`SemanticModel.fileFact`): built
 * once per analysis from the whole model, asked questions whose answers incremental analysis
 * records and asks again (`answer`) before it reuses a statement. Declared once, at module level.
 */
export interface FileFact<T> {
  readonly key: string;
  make(model: SemanticModel): T;
  /** The answer to `question` (as recorded by `askedFact`) in this analysis. */
  answer(value: T, question: string): string;
  /** What every answer depends on: two values with the same signature answer every question alike (incremental analysis then asks none again). */
  signature?(value: T): string;
}

/**
 * A file-level fact that is a set of names (paths, receivers, places), asked "is this one of
 * them?" through `SemanticModel.factHas`.
 */
export function nameSetFact(key: string, make: (model: SemanticModel) => ReadonlySet<string>): FileFact<ReadonlySet<string>> {
  return {
    key,
    make,
    answer: (names, question) => (names.has(question) ? '1' : '0'),
    signature: (names) => [...names].sort().join('\n'),
  };
}

const BUILTINS = new Set([
  'open',
  'print',
  'eval',
  'exec',
  'input',
  'compile',
  '__import__',
  'len',
  'range',
  'enumerate',
  'zip',
  'map',
  'filter',
  'list',
  'dict',
  'set',
  'tuple',
  'str',
  'int',
  'float',
  'bool',
  'iter',
  'next',
  'sorted',
]);

/** `a.b.c` with nothing but names and dots (no calls, subscripts, spaces or comments). */
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** `True.x`, `None.x`: the base is a constant, not a name. */
const CONSTANT_BASE = /^(True|False|None)\./;

/** The node types the model itself reads; the analyzer captures them in its single pass. */
export const MODEL_NODE_TYPES = [
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'assignment',
  'function_definition',
  'class_definition',
  'call',
  'comment',
] as const;

/**
 * What a rule needs to know about names: which import or assignment a name comes from, so
 * rules match `sklearn.model_selection.train_test_split` however the user spelled it.
 */
export class SemanticModel {
  private readonly importList: ImportBinding[] = [];
  private readonly assignmentList: Assignment[] = [];
  private readonly callList: SyntaxNode[] = [];
  private readonly functionList: SyntaxNode[] = [];
  private readonly classList: SyntaxNode[] = [];
  private readonly commentList: SyntaxNode[] = [];
  private readonly names = new Set<string>();
  /**
   * Set by the analyzer while a statement-scoped rule looks at one top-level statement
   * (incremental analysis, `engine/incremental.ts`): it records the file-level facts the
   * statement's findings depend on, and marks the statement as depending on the whole file when a
   * rule reads a whole-file list.
   */
  tracker: StatementTracker | undefined;

  /** Every import binding, in document order (a whole-file list). */
  get imports(): readonly ImportBinding[] {
    this.tracker?.wholeFile();
    return this.importList;
  }
  /**
   * The import bindings, untracked: for readers of a binding's `local`, `qualified` and import kind
   * only, which `fileFacts()` covers (`ensureImport` asking whether a module is imported already).
   */
  get importBindings(): readonly ImportBinding[] {
    return this.importList;
  }
  /** Every assignment binding, in document order (a whole-file list). */
  get assignments(): readonly Assignment[] {
    this.tracker?.wholeFile();
    return this.assignmentList;
  }
  /** Every call, in document order (a whole-file list). */
  get calls(): readonly SyntaxNode[] {
    this.tracker?.wholeFile();
    return this.callList;
  }
  /** Every function definition, in document order (a whole-file list). */
  get functions(): readonly SyntaxNode[] {
    this.tracker?.wholeFile();
    return this.functionList;
  }
  /** Every class definition, in document order (a whole-file list). */
  get classes(): readonly SyntaxNode[] {
    this.tracker?.wholeFile();
    return this.classList;
  }
  /** Every comment, in document order (a whole-file list). */
  get comments(): readonly SyntaxNode[] {
    this.tracker?.wholeFile();
    return this.commentList;
  }
  /** Names of the functions and classes defined anywhere in the file (a whole-file set; see `defines`). */
  get definedNames(): ReadonlySet<string> {
    this.tracker?.wholeFile();
    return this.names;
  }
  /** True when a function or class of this name is defined anywhere in the file. */
  defines(name: string): boolean {
    return this.names.has(name);
  }
  /** End offsets of the module-level `exec(...)` calls of code read from a file, in document order (see `globalsRebound`). */
  private readonly globalRebinds: number[] = [];
  private readonly modules = new Set<string>();
  private readonly importsByName = new Map<string, ImportBinding[]>();
  private readonly assignmentsByName = new Map<string, Assignment[]>();
  /** Assignments by name, then by scope, in document order (their `start`s never decrease). */
  private readonly assignmentsByScope = new Map<string, Map<number, Assignment[]>>();
  /** Per call node id; `null` caches "no answer" so one look-up answers both cases. */
  private readonly calleeCache: NodeTable<string | null>;
  /** Answers per call given while the current tracker was set, per asker (see `answersPerCall`). */
  private trackedAnswers: { tracker: StatementTracker | undefined; byOwner: Map<object, Map<number, unknown>> } = { tracker: undefined, byOwner: new Map() };
  /** Per call node id, its `function` child's id + 1 (-1: none; 0: not read yet): ids, not node objects, so no scavenge copies them. */
  private readonly functionIds: Int32Array;
  private readonly methodCache: NodeTable<{ receiver: SyntaxNode; name: string } | null>;
  /** `methodName`'s answers: one string per call, whose hash V8 keeps for the rules' set and map look-ups. */
  private readonly methodNames: NodeTable<string | null>;

  /** True when `word` occurs anywhere in the source: a cheap guard before a per-file search. */
  mentions(word: string): boolean {
    let found = this.mentioned.get(word);
    if (found === undefined) this.mentioned.set(word, (found = this.words === undefined || this.words.has(word)));
    return found;
  }

  /** The words asked of `mentions` so far, with their answers (a file-level fact incremental analysis checks). */
  readonly mentioned = new Map<string, boolean>();

  /** Where words occur in `source` (`mentions`); the analysis passes one that knows the last text's answers. */
  private readonly words: WordOccurrences | undefined;

  /** `source` is the parsed text, so `textOf` slices it instead of asking the tree. */
  constructor(
    readonly root: SyntaxNode,
    private readonly source?: string,
    words?: WordOccurrences,
  ) {
    this.words = source === undefined ? undefined : words?.text === source ? words : new WordOccurrences(source);
    const size = root.tree.count;
    this.calleeCache = new NodeTable(size);
    this.functionIds = new Int32Array(size);
    this.methodCache = new NodeTable(size);
    this.methodNames = new NodeTable(size);
  }

  /** The source text of `[start, end)`. */
  textOf(start: number, end: number): string {
    return this.source !== undefined ? this.source.slice(start, end) : this.root.text.slice(start - this.root.startIndex, end - this.root.startIndex);
  }

  /** End offset of each function in `functions` (read once: `endIndex` is a call into WebAssembly). */
  private readonly functionEnds: number[] = [];
  /** Index in `functions` of the function that encloses each function, or -1. */
  private readonly functionParents: number[] = [];
  /** Indices of the functions that contain the node being added (nodes arrive in document order). */
  private readonly openFunctions: number[] = [];
  /** The same for classes: end offsets, enclosing class, classes open around the node being added. */
  private readonly classEnds: number[] = [];
  private readonly classParents: number[] = [];
  private readonly openClasses: number[] = [];
  /** Per-analysis facts that rules share, built on first use (see `memo`). */
  private readonly memos = new Map<string, unknown>();
  /** The assignment statement being added, so `a = b = f()` binds both names to the whole statement. */
  private currentStatement: SyntaxNode | undefined;
  private currentStatementEnd = -1;

  /** Called by the analyzer for each captured node, in document order. */
  add(type: string, node: SyntaxNode): void {
    // `node.parent` walks down from the root in web-tree-sitter (slow on long files), so
    // scopes are tracked here from the order nodes arrive in instead.
    const start = node.startIndex;
    const open = this.openFunctions;
    while (open.length > 0 && this.functionEnds[open[open.length - 1]] <= start) open.pop();
    switch (type) {
      case 'import_statement':
        this.addImport(node);
        break;
      case 'import_from_statement':
      case 'future_import_statement':
        this.addFromImport(node);
        break;
      case 'assignment':
        // `a = b = f()` nests assignments on the right; each is captured and added on its own.
        this.addAssignment(node);
        break;
      case 'function_definition':
        this.functionParents.push(open.length > 0 ? open[open.length - 1] : -1);
        this.functionEnds.push(node.endIndex);
        open.push(this.functionList.length);
        this.functionList.push(node);
        this.defineName(node);
        break;
      case 'class_definition': {
        const classes = this.openClasses;
        while (classes.length > 0 && this.classEnds[classes[classes.length - 1]] <= start) classes.pop();
        this.classParents.push(classes.length > 0 ? classes[classes.length - 1] : -1);
        this.classEnds.push(node.endIndex);
        classes.push(this.classList.length);
        this.classList.push(node);
        this.defineName(node);
        break;
      }
      case 'call':
        this.callList.push(node);
        // (The text is peeked first: reading the callee of every call would cost a node per call.)
        if (open.length === 0 && this.source?.startsWith('exec', start)) {
          const fn = this.functionOf(node);
          // Code read from a file (`exec(open('configurator.py').read())`), not a string the program made.
          const code = node.childForFieldName('arguments')?.namedChild(0);
          if (fn?.type === 'identifier' && fn.text === 'exec' && code?.type === 'call') this.globalRebinds.push(node.endIndex);
        }
        break;
      case 'comment':
        this.commentList.push(node);
        break;
    }
  }

  /** True when `module` or a submodule of it was imported anywhere (`seenModule('torch')`). */
  seenModule(module: string): boolean {
    return this.modules.has(module);
  }

  seenAnyModule(modules: readonly string[]): boolean {
    return modules.some((module) => this.modules.has(module));
  }

  /** Resolves a name or attribute chain to the dotted name it refers to, through imports and aliases. */
  qualifiedName(expr: SyntaxNode | null, depth = 0): string | undefined {
    if (!expr || depth > 8) return undefined;
    switch (expr.type) {
      case 'identifier':
        return this.resolveName(expr.text, expr, depth);
      case 'attribute': {
        // Fast path: a chain of plain names on one line (the parser already said it is an
        // attribute chain) resolves from its text, without a tree walk per link.
        const text = expr.text;
        if (DOTTED_NAME.test(text)) {
          const dot = text.indexOf('.');
          const base = this.resolveName(text.slice(0, dot), expr, depth);
          return base ? `${base}${text.slice(dot)}` : undefined;
        }
        const base = this.qualifiedName(expr.childForFieldName('object'), depth + 1);
        const attribute = expr.childForFieldName('attribute');
        return base && attribute ? `${base}.${attribute.text}` : undefined;
      }
      case 'parenthesized_expression':
        return this.qualifiedName(expr.namedChild(0), depth + 1);
      default:
        return undefined;
    }
  }

  /** What a bare name refers to at `at`: an import, an alias assigned from one, or a builtin. */
  private resolveName(name: string, at: SyntaxNode, depth: number): string | undefined {
    const binding = this.importFor(name, at.startIndex);
    if (binding) return binding.qualified;
    const assigned = this.valueOf(name, at);
    if (assigned && assigned.index === undefined && (assigned.value.type === 'identifier' || assigned.value.type === 'attribute')) {
      return this.qualifiedName(assigned.value, depth + 1);
    }
    if (assigned) return undefined;
    if (BUILTINS.has(name) && !this.names.has(name)) return `builtins.${name}`;
    return undefined;
  }

  /** The qualified name of what a call calls: `tts(X, y)` → `sklearn.model_selection.train_test_split`. */
  callee(call: SyntaxNode): string | undefined {
    const cache = this.answersPerCall(this.calleeCache);
    const cached = cache.get(call.id);
    if (cached !== undefined) return cached ?? undefined;
    const name = this.qualifiedName(this.functionOf(call));
    cache.set(call.id, name ?? null);
    return name;
  }

  /**
   * Where an asker keeps its answers per call (`null` for "none"): `table` for the whole analysis,
   * but while a statement is tracked a table of that statement's own, since the look-ups behind an
   * answer must be recorded for it. Its rules share one tracker, so each call is answered once per
   * statement, not once per rule.
   */
  answersPerCall<V>(table: NodeTable<V | null>): { get(id: number): V | null | undefined; set(id: number, value: V | null): void } {
    const tracker = this.tracker;
    if (!tracker) return table;
    if (this.trackedAnswers.tracker !== tracker) this.trackedAnswers = { tracker, byOwner: new Map() };
    let answers = this.trackedAnswers.byOwner.get(table) as Map<number, V | null> | undefined;
    if (!answers) this.trackedAnswers.byOwner.set(table, (answers = new Map()));
    return answers;
  }

  /**
   * A rule looked at the place `offset` (a value a name resolves to, a node it reports or has
   * reported): outside the statement being analysed incrementally, that statement's findings then
   * depend on the rest of the file and it is re-analysed on every edit.
   */
  dependsOn(offset: number): void {
    this.tracker?.at(offset);
  }

  /** A rule's findings about the statement being analysed depend on the rest of the file (incremental analysis re-runs it on every edit). */
  dependsOnFile(): void {
    this.tracker?.wholeFile();
  }

  /** Sets what the call with node id `id` calls, known from an earlier analysis of the same statement (incremental analysis). */
  knownCallee(id: number, name: string | null): void {
    this.calleeCache.set(id, name);
  }

  /** The last name a call calls: `f` in `f(x)` and in `obj.f(x)`; undefined for `f()(x)`, `a[0](x)`. */
  calledName(call: SyntaxNode): string | undefined {
    const name = this.methodName(call);
    if (name !== undefined) return name;
    const fn = this.functionOf(call);
    return fn?.type === 'identifier' ? fn.text : undefined;
  }

  /** Calls of a bare name (`helper(x)`, not `obj.helper(x)`), indexed once per file. */
  callsOfName(name: string): readonly SyntaxNode[] {
    const index = this.memo('calls-by-name', () => {
      const byName = new Map<string, SyntaxNode[]>();
      for (const call of this.callList) {
        const text = bareCalledName(call);
        if (text === undefined) continue;
        let list = byName.get(text);
        if (!list) byName.set(text, (list = []));
        list.push(call);
      }
      return byName;
    });
    return index.get(name) ?? [];
  }

  /** The functions (and methods) defined with this name, in document order, indexed once per file. */
  functionsNamed(name: string): readonly SyntaxNode[] {
    return this.memo('functions-by-name', () => byDefinedName(this.functionList)).get(name) ?? [];
  }

  /** The classes defined with this name, in document order, indexed once per file. */
  classesNamed(name: string): readonly SyntaxNode[] {
    return this.memo('classes-by-name', () => byDefinedName(this.classList)).get(name) ?? [];
  }

  /** The called expression of a call (its `function` field), cached: most rules read it. */
  functionOf(call: SyntaxNode): SyntaxNode | null {
    const tree = call.tree;
    if (call.id >= this.functionIds.length) return call.childForFieldName('function');
    let known = this.functionIds[call.id];
    if (known === 0) this.functionIds[call.id] = known = tree.fieldChildId(call.id, callFields(tree.grammar).function) + 1 || -1;
    return known > 0 ? tree.node(known - 1) : null;
  }

  /**
   * `method(call)?.name`, read from the tree's arrays without making node objects or filling the
   * cache: for a scan over every call of a file that keeps a few (`TorchFacts` looks for
   * `x.parameters()` and the like after every keystroke).
   */
  methodName(call: SyntaxNode): string | undefined {
    const known = this.methodNames.get(call.id);
    if (known !== undefined) return known ?? undefined;
    const cached = this.methodCache.get(call.id);
    const name = cached !== undefined ? cached?.name : this.readMethodName(call);
    this.methodNames.set(call.id, name ?? null);
    return name;
  }

  private readMethodName(call: SyntaxNode): string | undefined {
    const tree = call.tree;
    const { grammar, typeIds, starts, ends } = tree;
    const fields = callFields(grammar);
    const fn = tree.fieldChildId(call.id, fields.function);
    if (fn < 0 || fields.isAttribute[grammar.slotOf(typeIds[fn])] !== 1) return undefined;
    const attribute = tree.fieldChildId(fn, fields.attribute);
    if (attribute < 0 || tree.fieldChildId(fn, fields.object) < 0) return undefined;
    return tree.text.slice(starts[attribute], ends[attribute]);
  }

  /** For `receiver.name(...)`, the receiver and the method name (cached: every rule asks). */
  method(call: SyntaxNode): { receiver: SyntaxNode; name: string } | undefined {
    const key = call.id;
    const cached = this.methodCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let result: { receiver: SyntaxNode; name: string } | undefined;
    const fn = this.functionOf(call);
    if (fn?.type === 'attribute') {
      const receiver = fn.childForFieldName('object');
      const attribute = fn.childForFieldName('attribute');
      if (receiver && attribute) result = { receiver, name: attribute.text };
    }
    this.methodCache.set(key, result ?? null);
    return result;
  }

  /**
   * The class an expression is an instance of, as far as simple assignments show:
   * `scaler = StandardScaler()` makes `scaler` a `sklearn.preprocessing.StandardScaler`.
   */
  constructedType(expr: SyntaxNode | null, depth = 0): string | undefined {
    if (!expr || depth > 8) return undefined;
    switch (expr.type) {
      case 'call': {
        const method = this.method(expr);
        // `fit` and `set_params` return the estimator itself.
        if (method && (method.name === 'fit' || method.name === 'set_params')) {
          const receiverType = this.constructedType(method.receiver, depth + 1);
          if (receiverType) return receiverType;
        }
        return this.callee(expr);
      }
      case 'identifier':
      case 'attribute': {
        const name = dottedText(expr);
        if (name === undefined) return undefined;
        const assigned = this.valueOf(name, expr);
        if (assigned && assigned.index === undefined) return this.constructedType(assigned.value, depth + 1);
        return undefined;
      }
      case 'parenthesized_expression':
        return this.constructedType(expr.namedChild(0), depth + 1);
      default:
        return undefined;
    }
  }

  /** The module-level assignments, in document order, untracked (incremental analysis compares them between analyses). */
  moduleAssignments(): Assignment[] {
    return this.assignmentList.filter((assignment) => assignment.scope === -1);
  }

  /** The last assignment to `name` before `at`, in the same function if there is one there, else at module level. */
  valueOf(name: string, at: SyntaxNode): Assignment | undefined {
    const offset = at.startIndex;
    const found = this.valueAt(name, offset);
    this.tracker?.lookup(name, offset, found);
    return found;
  }

  /** `valueOf` at an offset, untracked (incremental analysis replays recorded look-ups with it). */
  valueAt(name: string, offset: number): Assignment | undefined {
    const byScope = this.assignmentsByScope.get(name);
    if (!byScope) return undefined;
    const scope = this.functionScopeAt(offset);
    const inScope = lastAtOrBefore(byScope.get(scope), offset);
    const found = inScope || scope === -1 ? inScope : lastAtOrBefore(byScope.get(-1), offset);
    // A module-level assignment that an `exec(...)` may have rebound before `offset` holds no known value.
    return found && found.scope === -1 && this.globalsRebound(found.start, offset) ? undefined : found;
  }

  /**
   * True when a module-level `exec(...)` of code read from a file runs between `from` and `to`: it
   * may rebind any global, as nanoGPT's `exec(open('configurator.py').read())` sets `device`,
   * `out_dir`… from the command line, so the defaults assigned above it are configuration.
   */
  globalsRebound(from: number, to = Infinity): boolean {
    const rebinds = this.globalRebinds;
    if (rebinds.length === 0 || this.names.has('exec')) return false;
    const next = lowerBound(rebinds.length, (i) => rebinds[i], from + 1);
    return next < rebinds.length && rebinds[next] <= to;
  }

  /** How many import bindings start before `offset` (which import a name resolves to depends on it). */
  importsBefore(offset: number): number {
    const bindings = this.importList;
    return lowerBound(bindings.length, (i) => bindings[i].start, offset);
  }

  /**
   * The file-level facts name resolution reads besides assignments: the imports (in order), the
   * modules seen and the names defined. Incremental analysis reuses a statement's findings only
   * while this is unchanged.
   */
  fileFacts(): string {
    const imports = this.importList.map((binding) => `${binding.local}=${binding.qualified}:${binding.node.type}`).join(',');
    return `${imports}\n${[...this.modules].sort().join(',')}\n${[...this.names].sort().join(',')}`;
  }

  /** Start offset of the innermost function containing `offset`, or -1 at module level. */
  scopeAt(offset: number): number {
    this.tracker?.at(offset);
    return this.functionScopeAt(offset);
  }

  private functionScopeAt(offset: number): number {
    const i = innermostAt(this.functionList, this.functionEnds, this.functionParents, offset);
    return i === -1 ? -1 : this.functionList[i].startIndex;
  }

  /** The innermost function definition containing `offset`, without walking parents. */
  enclosingFunctionAt(offset: number): SyntaxNode | undefined {
    this.tracker?.at(offset);
    const i = innermostAt(this.functionList, this.functionEnds, this.functionParents, offset);
    return i === -1 ? undefined : this.functionList[i];
  }

  /** Every function definition containing `offset`, innermost first. */
  enclosingFunctionsAt(offset: number): SyntaxNode[] {
    this.tracker?.at(offset);
    const out: SyntaxNode[] = [];
    for (let i = innermostAt(this.functionList, this.functionEnds, this.functionParents, offset); i !== -1; i = this.functionParents[i]) {
      out.push(this.functionList[i]);
    }
    return out;
  }

  /** The innermost class definition containing `offset` (across functions), without walking parents. */
  enclosingClassAt(offset: number): SyntaxNode | undefined {
    this.tracker?.at(offset);
    const i = innermostAt(this.classList, this.classEnds, this.classParents, offset);
    return i === -1 ? undefined : this.classList[i];
  }

  private readonly builtFacts = new Map<FileFact<unknown>, unknown>();

  /**
   * A file-level fact, built once per analysis (untracked). Where `memo` ties a statement that
   * reads it to the whole file, the fact reports each question a statement asks (`askedFact`), and
   * incremental analysis reuses the statement while the questions get the same answers.
   */
  fileFact<T>(fact: FileFact<T>): T {
    let value = this.builtFacts.get(fact as FileFact<unknown>) as T | undefined;
    if (value === undefined) {
      const tracker = this.tracker;
      this.tracker = undefined;
      try {
        value = fact.make(this);
      } finally {
        this.tracker = tracker;
      }
      this.builtFacts.set(fact as FileFact<unknown>, value);
    }
    return value;
  }

  /** The signatures of the file-level facts built in this analysis (those that have one). */
  factSignatures(): Map<FileFact<unknown>, string> {
    const signatures = new Map<FileFact<unknown>, string>();
    for (const [fact, value] of this.builtFacts) if (fact.signature) signatures.set(fact, fact.signature(value));
    return signatures;
  }

  /** Whether a name-set fact (`nameSetFact`) holds `name`, the question recorded for the statement being tracked. */
  factHas(fact: FileFact<ReadonlySet<string>>, name: string): boolean {
    const has = this.fileFact(fact).has(name);
    this.askedFact(fact, name, has ? '1' : '0');
    return has;
  }

  /** A file-level fact was asked `question` and answered `answer`: recorded for the statement being tracked. */
  askedFact<T>(fact: FileFact<T>, question: string, answer: string): void {
    this.tracker?.fact(fact as FileFact<unknown>, question, answer);
  }

  /** A fact about the whole file that several rules use, computed once per analysis. */
  memo<T>(key: string, make: () => T): T {
    this.tracker?.wholeFile();
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = make();
    this.memos.set(key, value);
    return value;
  }

  assignmentsOf(name: string): readonly Assignment[] {
    this.tracker?.wholeFile();
    return this.assignmentsByName.get(name) ?? [];
  }

  /** Every call whose callee resolves to one of `names`. */
  callsTo(names: ReadonlySet<string> | readonly string[]): SyntaxNode[] {
    this.tracker?.wholeFile();
    const wanted = names instanceof Set ? names : new Set(names as readonly string[]);
    return this.callList.filter((call) => {
      const name = this.callee(call);
      return name !== undefined && wanted.has(name);
    });
  }

  private importFor(name: string, offset: number): ImportBinding | undefined {
    const bindings = this.importsByName.get(name);
    if (!bindings) return undefined;
    // The last import of the name at or before `offset` (imports arrive in document order), else
    // the first one (a name used above its import, as notebooks run cells out of order).
    let low = 0;
    let high = bindings.length - 1;
    let chosen = 0;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (bindings[mid].start <= offset) {
        chosen = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return bindings[chosen];
  }

  private bindImport(local: string, qualified: string, node: SyntaxNode): void {
    const binding = { local, qualified, node, start: node.startIndex };
    this.importList.push(binding);
    let list = this.importsByName.get(local);
    if (!list) this.importsByName.set(local, (list = []));
    list.push(binding);
    this.noteModule(qualified);
  }

  private addImport(node: SyntaxNode): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'dotted_name') {
        const module = child.text;
        // `import a.b.c` binds `a`; rules still see `a.b.c.f` through the attribute chain.
        this.bindImport(module.split('.')[0], module.split('.')[0], node);
        this.noteModule(module);
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (name && alias) this.bindImport(alias, name, node);
      }
    }
  }

  private addFromImport(node: SyntaxNode): void {
    const moduleNode = node.childForFieldName('module_name');
    const module = node.type === 'future_import_statement' ? '__future__' : moduleNode?.text;
    if (!module) return;
    this.noteModule(module.replace(/^\.+/, ''));
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      if (child.type === 'dotted_name') {
        this.bindImport(child.text, `${module}.${child.text}`, node);
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (name && alias) this.bindImport(alias, `${module}.${name}`, node);
      }
    }
  }

  /**
   * Records `module` and the modules it is inside (`a.b.c`, `a.b`, `a`). The set holds every prefix
   * of each name in it, so the walk stops at the first name already known: the hundred names of one
   * `from pkg.sub import (…)` add one each, not the whole chain again.
   */
  private noteModule(module: string): void {
    if (!module) return;
    for (let name = module; !this.modules.has(name); ) {
      this.modules.add(name);
      const dot = name.lastIndexOf('.');
      if (dot < 0) break;
      name = name.slice(0, dot);
    }
  }

  private addAssignment(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    const value = right.type === 'assignment' ? innermostValue(right) : right;
    if (!value) return;
    const scope = this.openFunctions.length > 0 ? this.functionList[this.openFunctions[this.openFunctions.length - 1]].startIndex : -1;
    const nested = this.currentStatement !== undefined && node.startIndex < this.currentStatementEnd && node.startIndex >= this.currentStatement.startIndex;
    if (!nested) {
      this.currentStatement = node;
      this.currentStatementEnd = node.endIndex;
    }
    const statement = this.currentStatement ?? node;
    const start = this.currentStatementEnd;
    const leftType = left.type;
    if (leftType === 'pattern_list' || leftType === 'tuple_pattern' || leftType === 'list_pattern') {
      left.namedChildren.forEach((element, index) => {
        const name = element ? dottedText(element) : undefined;
        if (name) this.bind({ name, index, value, statement, start, scope });
      });
      return;
    }
    const name = dottedText(left, leftType);
    if (name) this.bind({ name, index: undefined, value, statement, start, scope });
  }

  private bind(assignment: Assignment): void {
    this.assignmentList.push(assignment);
    let byScope = this.assignmentsByScope.get(assignment.name);
    if (!byScope) this.assignmentsByScope.set(assignment.name, (byScope = new Map()));
    let inScope = byScope.get(assignment.scope);
    if (!inScope) byScope.set(assignment.scope, (inScope = []));
    inScope.push(assignment);
    let list = this.assignmentsByName.get(assignment.name);
    if (!list) this.assignmentsByName.set(assignment.name, (list = []));
    list.push(assignment);
  }

  private defineName(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (name) this.names.add(name);
  }
}

/** Definitions (functions or classes) by the name they define, each list in document order. */
function byDefinedName(definitions: readonly SyntaxNode[]): Map<string, SyntaxNode[]> {
  const byName = new Map<string, SyntaxNode[]>();
  for (const definition of definitions) {
    const name = definition.childForFieldName('name')?.text ?? '';
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(definition);
  }
  return byName;
}

/**
 * Index of the innermost of `nodes` (in document order, with their end offsets and the index of
 * the node enclosing each) that contains `offset`, or -1: a binary search for the last node that
 * starts at or before the offset, then up its enclosing nodes until one still contains it.
 */
function innermostAt(nodes: readonly SyntaxNode[], ends: readonly number[], parents: readonly number[], offset: number): number {
  let low = 0;
  let high = nodes.length - 1;
  let last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (nodes[mid].startIndex <= offset) {
      last = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  for (let i = last; i !== -1; i = parents[i]) if (offset < ends[i]) return i;
  return -1;
}

/** The last of `assignments` (sorted by `start`) that starts at or before `offset`: a binary search. */
function lastAtOrBefore(assignments: readonly Assignment[] | undefined, offset: number): Assignment | undefined {
  if (!assignments) return undefined;
  let low = 0;
  let high = assignments.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (assignments[mid].start <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found === -1 ? undefined : assignments[found];
}

/** The field and type ids `methodName` and `bareCalledName` read, per grammar. */
interface CallFields {
  function: number;
  object: number;
  attribute: number;
  isAttribute: Uint8Array;
  isIdentifier: Uint8Array;
}
const callFieldIds = new WeakMap<Grammar, CallFields>();

function callFields(grammar: Grammar): CallFields {
  let fields = callFieldIds.get(grammar);
  if (!fields) {
    const id = (name: string): number => grammar.fieldIds.get(name) ?? -1;
    fields = {
      function: id('function'),
      object: id('object'),
      attribute: id('attribute'),
      isAttribute: grammar.typeFlags(['attribute']),
      isIdentifier: grammar.typeFlags(['identifier']),
    };
    callFieldIds.set(grammar, fields);
  }
  return fields;
}

/** `f` in `f(...)` (a plain name called), from the tree's arrays; undefined for any other callee. */
function bareCalledName(call: SyntaxNode): string | undefined {
  const tree = call.tree;
  const { grammar, typeIds, starts, ends } = tree;
  const fields = callFields(grammar);
  const fn = tree.fieldChildId(call.id, fields.function);
  return fn >= 0 && fields.isIdentifier[grammar.slotOf(typeIds[fn])] === 1 ? tree.text.slice(starts[fn], ends[fn]) : undefined;
}

/** `a`, `self.model`, `cfg.paths.data` as text; undefined for anything that is not a plain name chain. */
export function dottedText(node: SyntaxNode, type = node.type): string | undefined {
  if (type === 'identifier') return node.text;
  if (type === 'attribute') {
    // Fast path: a plain chain on one line is its own text (one read instead of a walk per link).
    const text = node.text;
    if (DOTTED_NAME.test(text) && !CONSTANT_BASE.test(text)) return text;
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    const base = object ? dottedText(object) : undefined;
    return base && attribute ? `${base}.${attribute.text}` : undefined;
  }
  return undefined;
}

/**
 * Start offset of the function that encloses `node`, or -1 at module level. Walks parents, which
 * web-tree-sitter finds from the root: prefer `model.scopeAt(node.startIndex)` in rules.
 */
export function scopeStart(node: SyntaxNode): number {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return current.startIndex;
  }
  return -1;
}

function innermostValue(node: SyntaxNode): SyntaxNode | null {
  let current: SyntaxNode | null = node;
  while (current?.type === 'assignment') current = current.childForFieldName('right');
  return current;
}
