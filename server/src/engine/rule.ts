import type { SyntaxNode } from './parser';
import type { SemanticModel } from './semantic';
import type { NotebookProgram } from './notebook';
import type { LineIndex } from './text';
import type { PythonNodeType } from './node-types';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** safe: behaviour kept, applied by fix-all; unsafe: valid code whose behaviour may change, offered one at a time. */
export type Applicability = 'safe' | 'unsafe';

/** The rule categories, in listing order, with their titles: the one list of categories. */
export const CATEGORIES = {
  configuration: 'Configuration and secrets',
  reproducibility: 'Reproducibility',
  data: 'Data and evaluation',
  'failure-handling': 'Failure handling and integration',
  tracking: 'Tracking and versioning',
  observability: 'Observability and devices',
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as readonly Category[];

/** A replacement of `[start, end)` in the analysed program (offsets in UTF-16 code units). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
}

/** The rule's page, with the headings every linter user knows (Ruff's layout). */
export interface RuleDocs {
  /** What it does. */
  what: string;
  /** Why is this bad? */
  why: string;
  /** Python that the rule flags. */
  example: string;
  /** Python that it accepts instead. */
  useInstead: string;
  /** Fix safety: why the fix is safe or unsafe. Required when the rule has a fix. */
  fixSafety?: string;
  /** Decisions on cases the catalog does not name, as a reviewer would make them. */
  notes?: string;
  /** What the rule found on public code: the audit's figures and how to reproduce them. */
  realCode?: string;
}

export interface RuleMeta {
  /** kebab-case, equal to the rule's file name. */
  name: string;
  category: Category;
  severity: Severity;
  /** One line for listings. */
  summary: string;
  docs: RuleDocs;
  /** The strongest fix the rule can offer, if any. */
  fix?: Applicability;
  /** Where the rule applies; notebook rules never run on scripts and vice versa. */
  appliesTo?: 'all' | 'notebook' | 'script';
  /** Cheap guard: the rule runs only when one of these modules is imported. */
  requiresImport?: readonly string[];
  /**
   * The rule does not check unit-test modules (`test-modules.ts`: the files pytest collects and
   * modules that import a test framework): what it asks of production code does not hold for
   * fixtures (a throwaway fit, a made-up path, a checkpoint the test wrote a line before).
   */
  skipTestModules?: boolean;
  /**
   * `statement`: what the node handlers report about a node depends only on the top-level
   * statement that holds it and on file-level facts read through the model (imports, `valueOf`,
   * `defines`, `seenModule`, `mentions`); the handlers keep no state from one statement to the
   * next, and `file:end`, if any, uses none of theirs. Incremental analysis then re-runs the rule
   * only on the statements an edit touched (a statement whose rules read a whole-file list of the
   * model, `context.text`, `lines`, `root` or `notebook` is always re-run; a rule that reports, or
   * remembers having reported, a node of another statement calls `model.dependsOn(node.startIndex)`
   * first, or collects it, which does the same). A statement-scoped rule may still decide at `file:end` over the whole file: its
   * handlers pass what they find about a statement to `context.collect` (a candidate finding, a
   * fact), and `file:end` reads `context.collected()` with whatever whole-file facts it needs;
   * what a statement's handlers collected is kept with its findings and replayed when the
   * statement is reused ("facts per statement, decided at `file:end`"). Default `file`: the
   * rule sees every node on every analysis. `test/incremental.test.ts` checks the claim.
   */
  scope?: 'statement' | 'file';
}

export interface Report {
  node?: SyntaxNode;
  start?: number;
  end?: number;
  message: string;
  fix?: Fix;
  /** A severity for this finding instead of the rule's (`unpinned-model-download` with `trust_remote_code=True`); a severity the user configured for the rule wins. */
  severity?: Severity;
}

export interface RuleSettings {
  seed: number;
  timeout: number;
  /** Seconds the LLM fixes insert (`llm-timeout`, default 60). */
  llmTimeout: number;
}

export interface RuleContext {
  readonly path: string;
  readonly kind: 'script' | 'notebook';
  /** The analysed program (for notebooks: code cells joined, magics masked). */
  readonly text: string;
  readonly lines: LineIndex;
  readonly root: SyntaxNode;
  readonly model: SemanticModel;
  readonly notebook: NotebookProgram | undefined;
  readonly settings: RuleSettings;
  report(report: Report): void;
  /**
   * Keeps `data` about `node` for this rule's `file:end` (`collected()`). `node` lies in the
   * top-level statement being visited and `data` is plain data (no nodes, no offsets, never
   * mutated afterwards): with incremental analysis both are kept per statement, the node by its
   * place in the statement, and replayed while the statement is unchanged.
   */
  collect(node: SyntaxNode, data: unknown): void;
  /** What the handlers collected, in the order they collected it (document order of the statements). */
  collected(): readonly Collected[];
}

export interface Collected {
  node: SyntaxNode;
  data: unknown;
}

/**
 * Node handlers keyed by the grammar's node types (a misspelled type fails to compile);
 * `file:end` runs after the whole file was visited.
 */
export type RuleHandlers = { [nodeType in PythonNodeType]?: (node: SyntaxNode) => void } & { 'file:end'?: () => void };

export interface Rule extends RuleMeta {
  create(context: RuleContext): RuleHandlers;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
