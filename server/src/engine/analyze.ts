import type { PythonParser, SyntaxNode, SyntaxTree, Tree } from './parser';
import { SemanticModel, MODEL_NODE_TYPES } from './semantic';
import { buildNotebookProgram, findCell, type CellInput, type NotebookProgram } from './notebook';
import { LineIndex, type Range } from './text';
import type { Fix, Report, Rule, RuleContext, RuleHandlers, Severity, TextEdit } from './rule';
import type { PythonNodeType } from './node-types';
import { RULES } from './rules';
import { DEFAULT_CONFIG, ruleSeverities, type MlreadyConfig } from './config';
import { parseSuppressions, commentLineFor } from './suppression';
import { redact } from './secrets';
import { secretLiteralsFinder } from './secret-literals';

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
  /** Reuse and update a cached tree-sitter tree (kept by its owner for the next incremental parse). */
  parseTree?: (text: string) => Tree;
  /** The engine's copy of the tree, from a cache that reparses and copies incrementally (`engine.trees.syntax(uri, text)`). */
  syntaxTree?: (text: string) => SyntaxTree;
}

/**
 * Analyses one script or notebook: one parse, one query pass that feeds the semantic model and
 * dispatches each node to the rules that asked for its type, then suppressions and severities.
 */
export function analyze(parser: PythonParser, input: AnalyzeInput, options: AnalyzeOptions = {}): Analysis {
  const config = options.config ?? DEFAULT_CONFIG;
  const notebook = input.kind === 'notebook' ? buildNotebookProgram(input.cells) : undefined;
  const text = input.kind === 'notebook' ? notebook!.text : input.text;
  const lines = new LineIndex(text);
  let syntax: SyntaxTree;
  if (options.syntaxTree) {
    syntax = options.syntaxTree(text);
  } else if (options.parseTree) {
    // The cached tree stays with its owner for the next incremental parse.
    syntax = parser.syntax(options.parseTree(text), text);
  } else {
    syntax = parser.parseSyntax(text);
  }
  return analyzeTree(input, syntax, text, lines, notebook, config, options.rules ?? RULES);
}

function analyzeTree(
  input: AnalyzeInput,
  syntax: SyntaxTree,
  text: string,
  lines: LineIndex,
  notebook: NotebookProgram | undefined,
  config: MlreadyConfig,
  rules: readonly Rule[],
): Analysis {
  const root = syntax.rootNode;
  const model = new SemanticModel(root, text);
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
  for (const rule of active) {
    const severity = severities.get(rule.name) as Severity;
    const context: RuleContext = {
      path: input.path,
      kind: input.kind,
      text,
      lines,
      root,
      model,
      notebook,
      settings: { seed: config.seed, timeout: config.timeout, llmTimeout: config.llmTimeout },
      report: (report) =>
        findings.push(place(rule, report.severity && config.severity[rule.name] === undefined ? report.severity : severity, report, lines, notebook)),
    };
    try {
      created.push({ rule, handlers: rule.create(context) });
    } catch (error) {
      failures.push(failure(rule, error));
    }
  }

  // One pass over the nodes in document order: the model first, then the rules' handlers.
  const { grammar, typeIds, count } = syntax;
  const modelTypes = grammar.typeTable(MODEL_NODE_TYPES);
  for (let id = 0; id < count; id++) {
    const type = modelTypes[grammar.slotOf(typeIds[id])];
    if (type !== undefined) model.add(type, syntax.node(id));
  }
  // Cheap guard: a torch rule has nothing to say in a file that never imports torch.
  const running = created.filter(({ rule }) => !rule.requiresImport || model.seenAnyModule(rule.requiresImport));

  const byTypeId = new Array<{ rule: Rule; handler: (node: SyntaxNode) => void }[] | undefined>(grammar.slotCount).fill(undefined);
  for (const { rule, handlers } of running) {
    for (const type of Object.keys(handlers) as (PythonNodeType | 'file:end')[]) {
      const handler = type === 'file:end' ? undefined : handlers[type];
      if (!handler) continue;
      for (const id of grammar.idsOf(type)) (byTypeId[grammar.slotOf(id)] ??= []).push({ rule, handler });
    }
  }
  const failed = new Set<Rule>();
  for (let id = 0; id < count; id++) {
    const list = byTypeId[grammar.slotOf(typeIds[id])];
    if (list === undefined) continue;
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
      return !(model.comments.length > 0 && suppressions.suppresses(finding.rule, startLine, endLine, commentLineFor(root, lines, finding.start)));
    }
    return false;
  });
  kept.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  redactFindings(kept, syntax, lines);
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

function failure(rule: Rule, error: unknown): RuleFailure {
  const message = error instanceof Error ? error.message : String(error);
  return { rule: rule.name, message: redact(message) };
}

function place(rule: Rule, severity: Severity, report: Report, lines: LineIndex, notebook: NotebookProgram | undefined): Finding {
  const start = report.start ?? report.node?.startIndex ?? 0;
  const end = report.end ?? report.node?.endIndex ?? start;
  const located = locate(start, end, lines, notebook);
  const fix = report.fix
    ? {
        title: report.fix.title,
        applicability: report.fix.applicability,
        edits: report.fix.edits.map((edit) => {
          const { range, cell } = locate(edit.start, edit.end, lines, notebook);
          return cell === undefined ? { ...edit, range } : { ...edit, range, cell };
        }),
      }
    : null;
  const finding: Finding = { rule: rule.name, severity, message: report.message, start, end, range: located.range, cell: located.cell, fix };
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
