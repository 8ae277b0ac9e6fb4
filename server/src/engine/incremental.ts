import type { Assignment, FileFact, SemanticModel, StatementTracker } from './semantic';
import type { Severity } from './rule';
import { lowerBound } from './sorted';
import { ownCopy, type WordOccurrences } from './text';

/**
 * Incremental analysis: the findings of statement-scoped rules (`scope: 'statement'`), kept per
 * top-level statement between two analyses of the same document, so an edit re-runs those rules
 * only on the statements it touched. A statement's findings are reused when its text is the
 * same, the file-level facts it read are the same, and every `valueOf` look-up its rules made
 * gives the same assignment again; they are never kept when its rules read a whole-file list of
 * the model, the whole text, the root or the notebook, asked about a place outside the statement,
 * or reported outside it. Severities, suppressions, redaction and cell placement are applied
 * afresh to every finding, reused or not.
 */
export class AnalysisCache {
  /** What the entries were computed under: path, kind, configuration and rule set. */
  setting = '';
  /** `SemanticModel.fileFacts()` of the analysis that made the entries. */
  facts = '';
  /** The `mentions` words asked during that analysis, with their answers. */
  mentioned = new Map<string, boolean>();
  /** Where the words the last analysis's rules asked about occur in its text (see `WordOccurrences`). */
  words: WordOccurrences | undefined;
  /** The last analysis's top-level statements' keys (their text) by start offset. */
  statementKeys = new Map<number, string>();
  /** Entries by the statement's text (a few per text: the same text may see different assignments). */
  entries = new Map<string, StatementEntry[]>();
  /** Statements reused and re-analysed by the last analysis (for tests and the benchmark). */
  reused = 0;
  analysed = 0;
  /** Counts the analyses that filled the cache: an entry stamped with the last one held then. */
  generation = 0;
  /** The module-level assignments of the last analysis, in document order. */
  moduleAssignments: readonly ModuleAssignment[] = [];
  /** The signatures of the file-level facts the last analysis built. */
  factSignatures = new Map<FileFact<unknown>, string>();

  clear(): void {
    this.entries = new Map();
    this.facts = '';
    this.mentioned = new Map();
    this.words = undefined;
    this.statementKeys = new Map();
    this.moduleAssignments = [];
    this.factSignatures = new Map();
  }
}

/** A finding of a statement-scoped rule, with its offsets relative to the statement's start. */
export interface StatementFinding {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fix: { title: string; applicability: 'safe' | 'unsafe'; edits: { start: number; end: number; text: string }[] } | null;
}

/** One `valueOf` look-up: at `rel` from the statement (`anchor` -1) or from the assignment an earlier look-up found. */
interface Lookup {
  name: string;
  anchor: number;
  rel: number;
  /** What it found, comparable across analyses; undefined: no assignment. */
  answer: Answer | undefined;
}

/**
 * An assignment a look-up found: inside the statement, by its offset from the statement's start
 * (`rel`); elsewhere (`rel` -1), by its statement's text and the imports before it.
 */
interface Answer {
  name: string;
  index: number | undefined;
  rel: number;
  imports: number;
  text: string;
}

/** What a statement-scoped rule's handlers collected for its `file:end` (`context.collect`), the node by its id relative to the statement's. */
export interface StatementCollected {
  rule: string;
  node: number;
  data: unknown;
}

export interface StatementEntry {
  /** How many imports come before the statement (its entries are found by its text, then this). */
  imports: number;
  lookups: Lookup[];
  /** The questions the statement's rules asked of file-level facts (`SemanticModel.fileFact`), with their answers then. */
  facts: FactRead[];
  findings: StatementFinding[];
  collected: StatementCollected[];
  /** What each call of the statement calls (`SemanticModel.callee`), by node id relative to the statement's: every rule asks. */
  callees: (number | string | null)[];
  /** The analysis (`AnalysisCache.generation`) in which the entry last held, and how many module-level assignments came before its statement then (-1: several statements with different counts). */
  heldIn: number;
  moduleBefore: number;
}

/**
 * `entry` with every string it holds (names looked up, answers' statement texts, fact questions,
 * messages, fix texts, what rules collected, callees) replaced by one that holds its own
 * characters (`ownCopy`). V8 keeps a substring of 13 or more characters as a view into the string
 * it was cut from, so an entry kept across edits kept the whole text of the analysis that made it
 * alive: 60 edits of a 1 MB file at 60 different statements kept 58 MB.
 */
export function detached(entry: StatementEntry): StatementEntry {
  for (const lookup of entry.lookups) {
    lookup.name = ownCopy(lookup.name);
    if (lookup.answer) {
      lookup.answer.name = ownCopy(lookup.answer.name);
      lookup.answer.text = ownCopy(lookup.answer.text);
    }
  }
  for (const read of entry.facts) {
    read.question = ownCopy(read.question);
    read.answer = ownCopy(read.answer);
  }
  for (const finding of entry.findings) {
    finding.message = ownCopy(finding.message);
    if (finding.fix) {
      finding.fix.title = ownCopy(finding.fix.title);
      for (const edit of finding.fix.edits) edit.text = ownCopy(edit.text);
    }
  }
  for (const kept of entry.collected) kept.data = ownData(kept.data);
  entry.callees = entry.callees.map((callee) => (typeof callee === 'string' ? ownCopy(callee) : callee));
  return entry;
}

/** Plain data (what rules collect) with its strings copied; other objects as they are. */
function ownData(value: unknown): unknown {
  if (typeof value === 'string') return ownCopy(value);
  if (Array.isArray(value)) return value.map(ownData);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = ownData(field);
    return copy;
  }
  return value;
}

/** A look-up's answer, comparable across analyses (offsets relative to the statement). */
function answerOf(model: SemanticModel, text: string, found: Assignment | undefined, start: number, end: number): Answer | undefined {
  if (!found) return undefined;
  const at = found.statement.startIndex;
  if (at >= start && at < end) return { name: found.name, index: found.index, rel: at - start, imports: 0, text: '' };
  // Elsewhere in the file: the same assignment statement, with the same imports before it.
  return { name: found.name, index: found.index, rel: -1, imports: model.importsBefore(at), text: text.slice(at, found.statement.endIndex) };
}

/** True when `found` is the assignment `answer` describes (compared field by field, without building the answer). */
function sameAnswer(model: SemanticModel, text: string, found: Assignment | undefined, answer: Answer | undefined, start: number, end: number): boolean {
  if (!found || !answer) return found === answer;
  if (found.name !== answer.name || found.index !== answer.index) return false;
  const at = found.statement.startIndex;
  if (at >= start && at < end) return answer.rel === at - start;
  return (
    answer.rel === -1 && found.statement.endIndex - at === answer.text.length && text.startsWith(answer.text, at) && model.importsBefore(at) === answer.imports
  );
}

interface FactRead {
  fact: FileFact<unknown>;
  question: string;
  answer: string;
}

/** A module-level assignment as a look-up finds it, comparable across analyses. */
interface ModuleAssignment {
  name: string;
  index: number | undefined;
  /** Its statement's text, and how many imports come before that statement. */
  text: string;
  imports: number;
}

/**
 * Decides whether a kept statement's recorded look-ups and fact questions still get their answers,
 * replaying them only when that is not known otherwise. A look-up from inside a statement finds an
 * assignment of the statement itself or a module-level one before it (`SemanticModel.valueAt`: the
 * innermost function's assignments, else the module's), so the answers of a statement that held in
 * the last analysis hold again while the module-level assignments before it are the same ones, in
 * the same order, with the same imports before them (an edit inside a function changes none). A
 * fact whose signature is unchanged answers every question as before.
 */
export class ReuseCheck {
  readonly generation: number;
  private current: ModuleAssignment[] | undefined;
  private starts: number[] = [];
  private common = -1;
  /** The last `moduleBefore` question and answer: `holds` and `held` ask it for the same statement. */
  private lastOffset = -1;
  private lastBefore = 0;
  private readonly sameFacts = new Map<FileFact<unknown>, boolean>();

  constructor(
    private readonly model: SemanticModel,
    private readonly text: string,
    private readonly cache: AnalysisCache,
  ) {
    this.generation = cache.generation + 1;
  }

  /** True when `entry`, kept for a statement with the same text now at [start, end), gives the same findings. */
  holds(entry: StatementEntry, start: number, end: number): boolean {
    const { model } = this;
    for (const { fact, question, answer } of entry.facts) if (!this.sameFact(fact) && fact.answer(model.fileFact(fact), question) !== answer) return false;
    const before = this.moduleBefore(start);
    const unchanged = entry.heldIn === this.cache.generation && entry.moduleBefore === before && before <= this.commonPrefix();
    return unchanged || lookupsHold(model, this.text, entry, start, end);
  }

  /** `entry` holds in this analysis for the statement at `start` (kept, or made by it). */
  held(entry: StatementEntry, start: number): void {
    const before = this.moduleBefore(start);
    if (entry.heldIn !== this.generation) {
      entry.heldIn = this.generation;
      entry.moduleBefore = before;
    } else if (entry.moduleBefore !== before) {
      entry.moduleBefore = -1;
    }
  }

  /** Records this analysis in the cache, for the next one. */
  finish(): void {
    this.cache.generation = this.generation;
    this.cache.moduleAssignments = this.moduleAssignments();
    this.cache.factSignatures = this.model.factSignatures();
  }

  private moduleAssignments(): ModuleAssignment[] {
    if (this.current) return this.current;
    const { model, text } = this;
    const current: ModuleAssignment[] = [];
    for (const assignment of model.moduleAssignments()) {
      const { startIndex, endIndex } = assignment.statement;
      current.push({ name: assignment.name, index: assignment.index, text: text.slice(startIndex, endIndex), imports: model.importsBefore(startIndex) });
      this.starts.push(startIndex);
    }
    this.current = current;
    return current;
  }

  /** How many module-level assignments belong to statements that start before `offset`. */
  private moduleBefore(offset: number): number {
    if (offset === this.lastOffset) return this.lastBefore;
    this.moduleAssignments();
    const starts = this.starts;
    this.lastOffset = offset;
    this.lastBefore = lowerBound(starts.length, (i) => starts[i], offset);
    return this.lastBefore;
  }

  /** How many module-level assignments, from the first, are the same as in the last analysis. */
  private commonPrefix(): number {
    if (this.common >= 0) return this.common;
    const current = this.moduleAssignments();
    const last = this.cache.moduleAssignments;
    let i = 0;
    while (i < current.length && i < last.length && sameModuleAssignment(current[i], last[i])) i++;
    this.common = i;
    return i;
  }

  private sameFact(fact: FileFact<unknown>): boolean {
    let same = this.sameFacts.get(fact);
    if (same === undefined) {
      const last = this.cache.factSignatures.get(fact);
      same = last !== undefined && fact.signature !== undefined && fact.signature(this.model.fileFact(fact)) === last;
      this.sameFacts.set(fact, same);
    }
    return same;
  }
}

function sameModuleAssignment(a: ModuleAssignment, b: ModuleAssignment): boolean {
  return a.name === b.name && a.index === b.index && a.imports === b.imports && a.text === b.text;
}

/** True when every recorded look-up gives the same answer in the new analysis, the statement now at `start`. */
function lookupsHold(model: SemanticModel, text: string, entry: StatementEntry, start: number, end: number): boolean {
  const found: (Assignment | undefined)[] = [];
  for (const lookup of entry.lookups) {
    let base = start;
    if (lookup.anchor >= 0) {
      const anchor = found[lookup.anchor];
      if (!anchor) return false;
      base = anchor.statement.startIndex;
    }
    const answer = model.valueAt(lookup.name, base + lookup.rel);
    if (!sameAnswer(model, text, answer, lookup.answer, start, end)) return false;
    found.push(answer);
  }
  return true;
}

/** Records what the statement-scoped rules ask of the model while they look at one statement. */
export class Tracker implements StatementTracker {
  whole = false;
  readonly lookups: Lookup[] = [];
  readonly facts: FactRead[] = [];
  private readonly found: (Assignment | undefined)[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly model: SemanticModel,
    private readonly text: string,
    readonly start: number,
    readonly end: number,
  ) {}

  wholeFile(): void {
    this.whole = true;
  }

  fact(fact: FileFact<unknown>, question: string, answer: string): void {
    if (this.whole) return;
    if (!this.facts.some((read) => read.fact === fact && read.question === question)) this.facts.push({ fact, question, answer });
  }

  at(offset: number): void {
    if (offset < this.start || offset >= this.end) this.whole = true;
  }

  lookup(name: string, offset: number, answer: Assignment | undefined): void {
    if (this.whole) return;
    let anchor = -1;
    let rel = offset - this.start;
    if (offset < this.start || offset >= this.end) {
      // A look-up made while following an assignment elsewhere: relative to that assignment.
      anchor = this.found.findIndex((a) => a !== undefined && a.statement.startIndex <= offset && offset < a.statement.endIndex);
      if (anchor === -1) {
        this.whole = true;
        return;
      }
      rel = offset - this.found[anchor]!.statement.startIndex;
    }
    const key = `${name}\u0000${anchor}\u0000${rel}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.lookups.push({ name, anchor, rel, answer: answerOf(this.model, this.text, answer, this.start, this.end) });
    this.found.push(answer);
  }
}
