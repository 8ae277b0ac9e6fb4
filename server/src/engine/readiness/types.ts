/**
 * The readiness report's shape. It is the JSON contract of `mlready readiness --format json`
 * and the data the editor's tree view shows: categories → items → evidence, each level with
 * what a tree node needs (a label, a status for the icon, a location to open, an action).
 */

export type ItemStatus = 'pass' | 'partial' | 'fail' | 'attested' | 'not-applicable';

/** Where something was found (or found missing). `line` is 1-based; `cell` is the 0-based code-cell index in a notebook, `line` then counts inside that cell. */
export interface Evidence {
  path: string;
  line: number;
  note: string;
  cell?: number;
  /** In a notebook, the cell's number as VS Code and Jupyter show it ("Cell 10": 1-based, markdown cells counted). */
  cellNumber?: number;
}

/** What closes an open item: a scaffold command, a rule to fix, a page to read. */
export interface ItemAction {
  title: string;
  /** A VS Code command id (e.g. `mlready.scaffold.pipeline`); the CLI prints the matching `mlready scaffold` command. */
  command?: string;
  /** An mlready rule whose findings this item counts. */
  rule?: string;
  url?: string;
}

export interface Attestation {
  status: 'attested' | 'not-applicable';
  by: string;
  date: string;
  note?: string;
  /** The file the attestation was read from (relative to the project root). */
  source: string;
  line: number;
}

export interface ReadinessItem {
  id: string;
  title: string;
  why: string;
  status: ItemStatus;
  /** Points earned: 1 automated pass, 0.5 partial or attested, 0 fail; `null` when not applicable. */
  points: number | null;
  /** One sentence saying why the item has this status. */
  summary: string;
  evidence: Evidence[];
  /** Present unless the item passes. */
  action?: ItemAction;
  /** True when an attestation can close the item (code cannot show it, or can only show part). */
  attestable: boolean;
  attestation?: Attestation;
}

export interface ReadinessCategory {
  id: string;
  title: string;
  /** Percentage 0-100 of the applicable items' possible points; `null` when no item applies. */
  score: number | null;
  points: number;
  possible: number;
  items: ReadinessItem[];
}

export interface ReadinessProblem {
  path: string;
  line?: number;
  message: string;
}

export interface ReadinessReport {
  /** 0-100. */
  score: number;
  band: string;
  bandDescription: string;
  /** How the score was computed, in sentences (shown under the score). */
  scoring: string[];
  categories: ReadinessCategory[];
  /** Files the scan could not read or parse; they lower no score by themselves. */
  problems: ReadinessProblem[];
  /**
   * `pythonFiles` and `notebooks` count those analysed; `pythonNotAnalysed` those listed beyond the
   * scan's limit on Python files (the language server's scan analyses 1,000), whose evidence the
   * verdicts do not include.
   */
  stats: { filesScanned: number; pythonFiles: number; notebooks: number; truncated: boolean; pythonNotAnalysed: number };
}

/** What an item's check returns before attestations and scoring are applied. */
export interface CheckResult {
  status: 'pass' | 'partial' | 'fail' | 'not-applicable';
  summary: string;
  evidence?: Evidence[];
  /** Set when a detected problem must not be overridden by an attestation (e.g. a hard-coded secret). */
  blocksAttestation?: boolean;
}
