import { lowerBound } from './sorted';
import type { PythonParser, SyntaxNode, SyntaxTree, Tree } from './parser';
import { SemanticModel, MODEL_NODE_TYPES } from './semantic';
import { buildNotebookProgram, findCell, type CellInput, type NotebookProgram } from './notebook';
import { changedSpan, LineIndex, ownCopy, WordOccurrences, withUniversalNewlines, type Range } from './text';
import type { Collected, Fix, Report, Rule, RuleContext, RuleHandlers, Severity, TextEdit } from './rule';
import type { PythonNodeType } from './node-types';
import { RULES } from './rules';
import { DEFAULT_CONFIG, ruleSeverities, type MlreadyConfig } from './config';
import { parseSuppressions, commentLineFor } from './suppression';
import { redact } from './secrets';
import { secretLiteralsFinder } from './secret-literals';
import { type AnalysisCache, detached, ReuseCheck, Tracker, type StatementCollected, type StatementEntry, type StatementFinding } from './incremental';
import { isTestModule } from './test-modules';
import { forgetTreeCaches } from './syntax';

export type AnalyzeInput = { path: string; kind: 'script'; text: string } | { path: string; kind: 'notebook'; cells: readonly CellInput[] };

/** A fix with its edits placed in the file: for notebooks, each edit in its cell. */
export interface PlacedEdit extends TextEdit {
  range: Range;
  cell?: number;
}

export interface PlacedFix {
  title: string;
  applicability: Fix['applicability'];
  edits: PlacedEdit[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** Offsets in the analysed program. */
  start: number;
  end: number;
  /** 0-based; for notebooks relative to the cell. */
  range: Range;
  /** 0-based index among the notebook's code cells. */
  cell?: number;
  /** The cell's number as VS Code and Jupyter show it ("Cell 10"): 1-based, markdown cells counted. */
  cellNumber?: number;
  fix: PlacedFix | null;
}

export interface RuleFailure {
  rule: string;
  message: string;
}

export interface Analysis {
  path: string;
  kind: 'script' | 'notebook';
  /** The program the parser saw: the script, or the notebook's code cells joined with magics masked. */
  text: string;
  lines: LineIndex;
  notebook?: NotebookProgram;
  model: SemanticModel;
  findings: Finding[];
  /** Rules that threw on this file; their findings are missing, every other rule's are there. */
  failures: RuleFailure[];
}

export interface AnalyzeOptions {
  config?: MlreadyConfig;
  /** Rules to run instead of the registry (tests). */
  rules?: readonly Rule[];
  /** Reuse and update a cached tree-sitter tree (kept by its owner for the next incremental parse); scripts only. */
  parseTree?: (text: string) => Tree;
  /**
   * The engine's copy of the tree, from a cache that reparses and copies incrementally
   * (`engine.trees.syntax(uri, text, notebook)`); for a notebook, `notebook` is its program.
   */
  syntaxTree?: (text: string, notebook?: NotebookProgram) => SyntaxTree;
  /**
   * The document's findings from its last analysis (`engine.trees.analysisCache(uri)`): statement-scoped
   * rules then re-run only on the top-level statements an edit touched (see `engine/incremental.ts`).
   */
  cache?: AnalysisCache;
}

/**
 * Analyses one script or notebook: one parse, one query pass that feeds the semantic model and
 * dispatches each node to the rules that asked for its type, then suppressions and severities.
 */
export function analyze(parser: PythonParser, input: AnalyzeInput, options: AnalyzeOptions = {}): Analysis {
  const config = options.config ?? DEFAULT_CONFIG;
  const notebook = input.kind === 'notebook' ? buildNotebookProgram(input.cells) : undefined;
  // Rules read lines as Python does: a lone `\r` is a line break (offsets are unchanged, so findings and fixes apply to the user's text).
  const text = withUniversalNewlines(input.kind === 'notebook' ? notebook!.text : input.text);
  const lines = new LineIndex(text);
  let syntax: SyntaxTree;
  if (options.syntaxTree) {
    syntax = options.syntaxTree(text, notebook);
  } else if (notebook) {
    syntax = parser.notebookSyntax(notebook);
  } else if (options.parseTree) {
    // The cached tree stays with its owner for the next incremental parse.
    syntax = parser.syntax(options.parseTree(text), text);
  } else {
    syntax = parser.parseSyntax(text);
  }
  syntax.useLineIndex(lines);
  return analyzeTree(input, syntax, text, lines, notebook, config, options.rules ?? RULES, options.cache);
}

function analyzeTree(
  input: AnalyzeInput,
  syntax: SyntaxTree,
  text: string,
  lines: LineIndex,
  notebook: NotebookProgram | undefined,
  config: MlreadyConfig,
  rules: readonly Rule[],
  cache?: AnalysisCache,
): Analysis {
  const root = syntax.rootNode;
  // With a cache, the words the rules ask about are answered from the last analysis's answers and the edit.
  const edit = cache?.words ? changedSpan(cache.words.text, text) : undefined;
  const words = cache ? new WordOccurrences(text, cache.words, edit) : undefined;
  const model = new SemanticModel(root, text, words);
  const severities = ruleSeverities(config, input.path, rules);
  const active = rules.filter((rule) => {
    const severity = severities.get(rule.name) ?? rule.severity;
    if (severity === 'off') return false;
    const appliesTo = rule.appliesTo ?? 'all';
    return appliesTo === 'all' || appliesTo === input.kind;
  });

  // Rules set up their handlers first (the model fills in below, before any handler runs).
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const created: { rule: Rule; handlers: RuleHandlers }[] = [];
  /** What each rule's handlers passed to `context.collect`, for its `file:end`. */
  const collectedBy = new Map<string, Collected[]>();
  /** The statement being analysed for statement-scoped rules (incremental analysis only). */
  let unit: Unit | undefined;
  for (const rule of active) {
    const severity = severities.get(rule.name) as Severity;
    const settings = { seed: config.seed, timeout: config.timeout, llmTimeout: config.llmTimeout };
    const report = (report: Report): void => {
      const finding = place(rule, report.severity && config.severity[rule.name] === undefined ? report.severity : severity, report, lines, notebook);
      findings.push(finding);
      if (unit && rule.scope === 'statement') unit.report(finding);
    };
    const collected: Collected[] = [];
    collectedBy.set(rule.name, collected);
    const collect = (node: SyntaxNode, data: unknown): void => {
      collected.push({ node, data });
      if (unit && rule.scope === 'statement') unit.collect(rule.name, node, data);
    };
    const read = (): readonly Collected[] => collected;
    const plain = { path: input.path, kind: input.kind, text, lines, root, model, notebook, settings, report, collect, collected: read };
    const context: RuleContext = cache && rule.scope === 'statement' ? new StatementRuleContext(plain) : plain;
    try {
      created.push({ rule, handlers: rule.create(context) });
    } catch (error) {
      failures.push(failure(rule, error));
    }
  }

  // One pass over the nodes in document order: the model first, then the rules' handlers.
  const { grammar, typeIds, count } = syntax;
  const modelTypes = grammar.typeTable(MODEL_NODE_TYPES);
  // The model's pass also notes the nodes of the types some rule handles (a few in ten), so that
  // the rules' passes visit those only: after an edit, the whole-file rules' handlers run over
  // every kept statement, and a second walk of every node was a tenth of an edit.
  const handledSlots = new Uint8Array(grammar.slotCount);
  for (const { handlers } of created)
    for (const type of Object.keys(handlers) as (PythonNodeType | 'file:end')[]) {
      if (type !== 'file:end') for (const id of grammar.idsOf(type)) handledSlots[grammar.slotOf(id)] = 1;
    }
  // (Off the JavaScript heap: a list of a few hundred thousand ids would be copied by every scavenge of the analysis.)
  let handledIds = new Int32Array(count);
  let handled = 0;
  for (let id = 0; id < count; id++) {
    const slot = grammar.slotOf(typeIds[id]);
    const type = modelTypes[slot];
    if (type !== undefined) model.add(type, syntax.node(id));
    if (handledSlots[slot] === 1) handledIds[handled++] = id;
  }
  handledIds = handledIds.subarray(0, handled);
  // Cheap guard: a torch rule has nothing to say in a file that never imports torch.
  // Asked once, and only if a rule skips unit-test modules.
  let testModule: boolean | undefined;
  const running = created.filter(
    ({ rule }) =>
      (!rule.requiresImport || model.seenAnyModule(rule.requiresImport)) && !(rule.skipTestModules && (testModule ??= isTestModule(model, input.path))),
  );

  const byTypeId = new Array<{ rule: Rule; handler: (node: SyntaxNode) => void }[] | undefined>(grammar.slotCount).fill(undefined);
  for (const { rule, handlers } of running) {
    for (const type of Object.keys(handlers) as (PythonNodeType | 'file:end')[]) {
      const handler = type === 'file:end' ? undefined : handlers[type];
      if (!handler) continue;
      for (const id of grammar.idsOf(type)) (byTypeId[grammar.slotOf(id)] ??= []).push({ rule, handler });
    }
  }
  const failed = new Set<Rule>();
  const run = (id: number, list: { rule: Rule; handler: (node: SyntaxNode) => void }[]): void => {
    const node = syntax.node(id);
    for (const { rule, handler } of list) {
      if (failed.has(rule)) continue;
      try {
        handler(node);
      } catch (error) {
        failed.add(rule);
        failures.push(failure(rule, error));
      }
    }
  };
  /** Runs `table`'s handlers on the handled nodes among the ids `[from, to)`, in document order. */
  const dispatch = (from: number, to: number, table: typeof byTypeId): void => {
    for (let i = lowerBound(handledIds.length, (k) => handledIds[k], from); i < handledIds.length && handledIds[i] < to; i++) {
      const id = handledIds[i];
      const list = table[grammar.slotOf(typeIds[id])];
      if (list !== undefined) run(id, list);
    }
  };
  if (!cache) {
    dispatch(0, count, byTypeId);
  } else {
    // Incremental: statement-scoped rules' findings come from the cache for the top-level
    // statements whose text and file-level facts are unchanged; every other rule sees every node.
    const local = byTypeId.map((list) => list?.filter(({ rule }) => rule.scope === 'statement'));
    const whole = byTypeId.map((list) => list?.filter(({ rule }) => rule.scope !== 'statement'));
    const setting = `${input.path}\u0000${input.kind}\u0000${settingKey(rules, config)}`;
    const facts = model.fileFacts();
    // Trees with syntax errors are analysed whole (error recovery may read a statement differently in another context).
    const storing = !root.hasError;
    const reusing =
      storing && cache.setting === setting && cache.facts === facts && [...cache.mentioned].every(([word, found]) => model.mentions(word) === found);
    const previous = reusing ? cache.entries : new Map<string, StatementEntry[]>();
    const check = new ReuseCheck(model, text, cache);
    const shift = edit ? edit.endAfter - edit.endBefore : 0;
    const keys = new Map<number, string>();
    const next = new Map<string, StatementEntry[]>();
    /** Statements with the same text may see different assignments (`df.head()` in many cells): a few entries per text. */
    const keep = (key: string, entry: StatementEntry): void => {
      const list = next.get(key);
      if (!list) next.set(key, [entry]);
      else if (!list.includes(entry) && list.length < 8) list.push(entry);
    };
    let reused = 0;
    let analysed = 0;
    dispatch(0, Math.min(1, count), byTypeId);
    const { subtreeEnds, starts, ends } = syntax;
    for (let id = 1; id < count; id = subtreeEnds[id]) {
      const end = subtreeEnds[id];
      const start = starts[id];
      const stop = ends[id];
      // Keyed by the statement's text as a slice of the file (hashed in place; a key built by
      // concatenation was copied whole on every edit), and matched on the imports before it. A
      // statement wholly before or after the edit has the text of the last analysis's statement
      // at its (shifted) place: that key, whose hash V8 keeps, is taken instead of a new slice.
      const lastStart = edit === undefined ? -1 : stop <= edit.start ? start : start >= edit.endAfter ? start - shift : -1;
      const lastKey = lastStart >= 0 ? cache.statementKeys.get(lastStart) : undefined;
      // (A new key holds its own characters: kept across edits, a slice would keep this text alive.)
      const key = lastKey !== undefined && lastKey.length === stop - start ? lastKey : ownCopy(text.slice(start, stop));
      keys.set(start, key);
      const imports = model.importsBefore(start);
      const entry = previous.get(key)?.find((candidate) => candidate.imports === imports && check.holds(candidate, start, stop));
      if (entry) {
        check.held(entry, start);
        for (const cached of entry.findings) findings.push(rebase(cached, start, lines, notebook));
        for (const kept of entry.collected) collectedBy.get(kept.rule)?.push({ node: syntax.node(id + kept.node), data: kept.data });
        const callees = entry.callees;
        for (let i = 0; i < callees.length; i += 2) model.knownCallee(id + (callees[i] as number), callees[i + 1] as string | null);
        if (storing) keep(key, entry);
        dispatch(id, end, whole);
        reused++;
        continue;
      }
      analysed++;
      const tracker = new Tracker(model, text, start, stop);
      unit = new Unit(id, end, start, stop);
      // What the statement's calls call, resolved once with the look-ups recorded: kept with its findings.
      const callees: (number | string | null)[] = [];
      for (let node = id; node < end; node++) {
        if (modelTypes[grammar.slotOf(typeIds[node])] !== 'call') continue;
        const call = syntax.node(node);
        model.tracker = tracker;
        const name = model.callee(call) ?? null;
        model.tracker = undefined;
        model.knownCallee(node, name);
        callees.push(node - id, name);
      }
      for (let i = lowerBound(handledIds.length, (k) => handledIds[k], id); i < handledIds.length && handledIds[i] < end; i++) {
        const node = handledIds[i];
        const slot = grammar.slotOf(typeIds[node]);
        model.tracker = tracker;
        if (local[slot] !== undefined) run(node, local[slot]);
        model.tracker = undefined;
        if (whole[slot] !== undefined) run(node, whole[slot]);
      }
      if (storing && !tracker.whole && !unit.outside) {
        const made: StatementEntry = detached({
          imports,
          lookups: tracker.lookups,
          facts: tracker.facts,
          findings: unit.findings,
          collected: unit.collected,
          callees,
          heldIn: 0,
          moduleBefore: -1,
        });
        check.held(made, start);
        keep(key, made);
      }
      unit = undefined;
    }
    const localFailed = [...failed].some((rule) => rule.scope === 'statement');
    cache.setting = setting;
    cache.facts = facts;
    // The words reused statements' rules asked in earlier analyses stay recorded (they hold for this
    // text, or nothing was reused): a statement reused without asking again still depends on them.
    cache.mentioned = reusing ? new Map([...cache.mentioned, ...model.mentioned]) : new Map(model.mentioned);
    cache.entries = localFailed ? new Map() : next;
    check.finish();
    words!.forgetPrevious();
    cache.words = words;
    cache.statementKeys = keys;
    cache.reused = reused;
    cache.analysed = analysed;
  }
  for (const { rule, handlers } of running) {
    if (failed.has(rule) || !handlers['file:end']) continue;
    try {
      handlers['file:end']();
    } catch (error) {
      failed.add(rule);
      failures.push(failure(rule, error));
    }
  }

  const suppressions = parseSuppressions(model.comments, lines);
  const kept = findings.filter((finding) => {
    const failedRule = [...failed].some((rule) => rule.name === finding.rule);
    if (failedRule) return false;
    const startLine = lines.position(finding.start).line;
    const endLine = lines.position(finding.end).line;
    if (!suppressions.suppresses(finding.rule, startLine, endLine)) {
      // A directive may also sit where `Ignore … on this line` puts it when the line cannot take one.
      return !(suppressions.onLines && suppressions.suppresses(finding.rule, startLine, endLine, commentLineFor(root, lines, finding.start)));
    }
    return false;
  });
  kept.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  redactFindings(kept, syntax, lines);
  // The tree outlives the analysis in the server's cache; what the rules read of it need not.
  forgetTreeCaches(syntax);
  return { path: input.path, kind: input.kind, text, lines, notebook, model, findings: kept, failures };
}

/**
 * The one redaction step at the source: every finding's message and fix title loses the secrets
 * it could carry, recognisable shapes anywhere and the credential literals of its own lines
 * (a password `hardcoded-secret` found is masked in `chained-assignment`'s quote of that line).
 */
function redactFindings(findings: Finding[], syntax: SyntaxTree, lines: LineIndex): void {
  if (findings.length === 0) return;
  const secretsBetween = secretLiteralsFinder(syntax);
  for (const finding of findings) {
    const from = lines.lineStart(lines.position(finding.start).line);
    const to = lines.lineEnd(lines.position(finding.end).line);
    const known = secretsBetween(from, to);
    finding.message = redact(finding.message, known);
    if (finding.fix) finding.fix.title = redact(finding.fix.title, known);
  }
}

/**
 * A statement-scoped rule's context in an incremental analysis: reading the whole text, its lines,
 * the root or the notebook ties the statement's findings to the whole file. A class, not an object
 * literal with getters: those getters, new closures in each analysis, were kept by V8's shared
 * hidden classes, so every collection of the young generation after an analysis found the whole
 * analysis (the semantic model, its nodes) alive and copied it, then promoted it (0.4-0.5 MB per
 * edit of the 2,000-line bench file, measured with V8's heap statistics around the collection).
 */
class StatementRuleContext implements RuleContext {
  readonly path: string;
  readonly kind: 'script' | 'notebook';
  readonly model: SemanticModel;
  readonly settings: RuleContext['settings'];
  readonly report: RuleContext['report'];
  readonly collect: RuleContext['collect'];
  readonly collected: RuleContext['collected'];

  constructor(private readonly file: RuleContext) {
    this.path = file.path;
    this.kind = file.kind;
    this.model = file.model;
    this.settings = file.settings;
    this.report = file.report;
    this.collect = file.collect;
    this.collected = file.collected;
  }

  get text(): string {
    this.model.tracker?.wholeFile();
    return this.file.text;
  }

  get lines(): LineIndex {
    this.model.tracker?.wholeFile();
    return this.file.lines;
  }

  get root(): SyntaxNode {
    this.model.tracker?.wholeFile();
    return this.file.root;
  }

  get notebook(): NotebookProgram | undefined {
    // A script has none whatever its text (the kind is part of the cache's setting).
    if (this.file.notebook) this.model.tracker?.wholeFile();
    return this.file.notebook;
  }
}

/** The rules and configuration an analysis cache was filled under, kept per (rules, config) pair: the server reuses both objects from keystroke to keystroke. */
const settingKeys = new WeakMap<readonly Rule[], WeakMap<MlreadyConfig, string>>();
function settingKey(rules: readonly Rule[], config: MlreadyConfig): string {
  let byConfig = settingKeys.get(rules);
  if (!byConfig) settingKeys.set(rules, (byConfig = new WeakMap()));
  let key = byConfig.get(config);
  if (key === undefined) byConfig.set(config, (key = `${rules.map((rule) => rule.name).join(',')}\u0000${JSON.stringify(config)}`));
  return key;
}

/** The statement-scoped findings of one top-level statement as they are reported, relative to its start. */
class Unit {
  readonly findings: StatementFinding[] = [];
  readonly collected: StatementCollected[] = [];
  /** A finding, a fix edit or a collected node outside the statement: its findings are not kept. */
  outside = false;

  constructor(
    private readonly id: number,
    private readonly endId: number,
    private readonly start: number,
    private readonly end: number,
  ) {}

  collect(rule: string, node: SyntaxNode, data: unknown): void {
    if (node.id < this.id || node.id >= this.endId) {
      this.outside = true;
      return;
    }
    this.collected.push({ rule, node: node.id - this.id, data });
  }

  report(finding: Finding): void {
    const inside = (from: number, to: number): boolean => from >= this.start && to <= this.end;
    // An insertion at the statement's very start (an import above it) depends on what lies before it.
    const editInside = (edit: TextEdit): boolean => inside(edit.start, edit.end) && !(edit.start === this.start && edit.end === this.start);
    if (!inside(finding.start, finding.end) || (finding.fix && !finding.fix.edits.every(editInside))) {
      this.outside = true;
      return;
    }
    this.findings.push({
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      start: finding.start - this.start,
      end: finding.end - this.start,
      fix: finding.fix
        ? {
            title: finding.fix.title,
            applicability: finding.fix.applicability,
            edits: finding.fix.edits.map((edit) => ({ start: edit.start - this.start, end: edit.end - this.start, text: edit.text })),
          }
        : null,
    });
  }
}

/** A kept finding placed again in the file, the statement now starting at `at`. */
function rebase(cached: StatementFinding, at: number, lines: LineIndex, notebook: NotebookProgram | undefined): Finding {
  const fix = cached.fix && { ...cached.fix, edits: cached.fix.edits.map((edit) => ({ start: edit.start + at, end: edit.end + at, text: edit.text })) };
  return placed(cached.rule, cached.severity, cached.message, cached.start + at, cached.end + at, fix, lines, notebook);
}

function failure(rule: Rule, error: unknown): RuleFailure {
  const message = error instanceof Error ? error.message : String(error);
  return { rule: rule.name, message: redact(message) };
}

function place(rule: Rule, severity: Severity, report: Report, lines: LineIndex, notebook: NotebookProgram | undefined): Finding {
  const start = report.start ?? report.node?.startIndex ?? 0;
  const end = report.end ?? report.node?.endIndex ?? start;
  return placed(rule.name, severity, report.message, start, end, report.fix, lines, notebook);
}

/** A finding with its span and its fix's edits placed in the file (for notebooks, in their cells). */
function placed(
  rule: string,
  severity: Severity,
  message: string,
  start: number,
  end: number,
  reportedFix: Fix | null | undefined,
  lines: LineIndex,
  notebook: NotebookProgram | undefined,
): Finding {
  const located = locate(start, end, lines, notebook);
  const fix = reportedFix
    ? {
        title: reportedFix.title,
        applicability: reportedFix.applicability,
        edits: reportedFix.edits.map((edit) => {
          const { range, cell } = locate(edit.start, edit.end, lines, notebook);
          return cell === undefined ? { ...edit, range } : { ...edit, range, cell };
        }),
      }
    : null;
  const finding: Finding = { rule, severity, message, start, end, range: located.range, cell: located.cell, fix };
  if (located.cellNumber !== undefined) finding.cellNumber = located.cellNumber;
  return finding;
}

/** Places a span in the file: for notebooks relative to the cell that holds its start. */
export function locate(
  start: number,
  end: number,
  lines: LineIndex,
  notebook: NotebookProgram | undefined,
): { range: Range; cell?: number; cellNumber?: number } {
  const startPosition = lines.position(start);
  const endPosition = lines.position(end);
  if (!notebook || notebook.cells.length === 0) return { range: { start: startPosition, end: endPosition } };
  const cell = findCell(notebook.cells, start);
  const lastLine = cell.startLine + cell.lineCount - 1;
  const clampedEnd = endPosition.line > lastLine ? { line: lastLine, column: lines.lineEnd(lastLine) - lines.lineStart(lastLine) } : endPosition;
  return {
    cell: cell.index,
    cellNumber: cell.notebookIndex + 1,
    range: {
      start: { line: startPosition.line - cell.startLine, column: startPosition.column },
      end: { line: clampedEnd.line - cell.startLine, column: clampedEnd.column },
    },
  };
}
