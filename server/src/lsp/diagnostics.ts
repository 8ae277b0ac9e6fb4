import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { Engine } from '../engine';
import { displayPath, engineInput, targetChars, targetUnits, tooLargeForLive, type DocumentStore, type Target } from './documents';
import { toDiagnostics } from './convert';
import type { ConfigResolver } from './settings';
import type { Log } from './log';
import { collectYoungGeneration } from './memory';

/** Quiet time after the last keystroke before a slow document is analysed. */
export const DEBOUNCE_MS = 75;

/** Below this analysis time a document is analysed on every change without waiting. */
const FAST_ANALYSIS_MS = 100;

/** A change handled this soon after an analysis ended had arrived while it ran. */
const BURST_MS = 50;

/** The longest a slow document's debounce grows to: typing never queues analyses back to back. */
const MAX_DEBOUNCE_MS = 2_000;

/** From this analysis time on, an analysis waits for a burst of changes to settle. */
const SETTLE_ABOVE_MS = 20;

/**
 * Quiet time that ends a burst: the changes of a typed line or a paste that the editor splits
 * into characters reach the server a few milliseconds apart (36-40 changes within 2-10 ms,
 * measured in scenario 11); an analysis started after the first of them was wasted, and the
 * rest then waited for it.
 */
export const SETTLE_MS = 15;

/**
 * Quiet time after which a script whose tree was reparsed incrementally with a syntax error is
 * parsed afresh, and analysed again if the fresh tree differs (`TreeCache.settle`): tree-sitter may
 * recover from the error otherwise than a parse from scratch, so the editor would keep showing what
 * `mlready check` does not. Edits typed closer together than this keep the fast incremental path.
 */
export const FRESH_PARSE_IDLE_MS = 500;

/**
 * How long a change waits before its document is analysed (0: at once; changes that arrive
 * together still coalesce, the timer fires after them).
 * - A document that analyses in under `SETTLE_ABOVE_MS` is analysed at once.
 * - Otherwise the analysis waits until no change came for `SETTLE_MS`: one analysis after a
 *   burst, not one after its first character. A pending deadline is never brought forward.
 * - A slow document (`FAST_ANALYSIS_MS` and over) whose change waited while an analysis ran
 *   (handled within `BURST_MS` of its end: the user types faster than it analyses) waits as long
 *   as that analysis took (at most `MAX_DEBOUNCE_MS`, at least `delay`), so the server keeps time
 *   for everything else.
 */
export function analysisDelay({
  cost,
  now,
  lastRun,
  pending,
  delay = DEBOUNCE_MS,
}: {
  /** How long the document's last analysis took (undefined: never analysed). */
  cost: number | undefined;
  now: number;
  /** When its last analysis ended. */
  lastRun: number | undefined;
  /** When the analysis already scheduled for it would start. */
  pending: number | undefined;
  delay?: number;
}): number {
  if (cost === undefined || cost < SETTLE_ABOVE_MS) return 0;
  let at = now + SETTLE_MS;
  if (pending !== undefined) at = Math.max(at, pending);
  else if (cost >= FAST_ANALYSIS_MS && now - (lastRun ?? -Infinity) < BURST_MS) at = now + Math.min(MAX_DEBOUNCE_MS, Math.max(delay, cost));
  return at - now;
}

/**
 * Publishes diagnostics for open scripts and notebooks: debounced per document, the latest
 * version wins (a pending run is cancelled by the next change, a run that finds its document
 * changed while it waited for settings drops its result), cleared on close. Notebook findings are
 * published on the cell documents they belong to.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, { immediate?: NodeJS.Immediate; timeout?: NodeJS.Timeout }>();
  /** Scripts waiting for `FRESH_PARSE_IDLE_MS` of quiet to have their inexact tree parsed afresh. */
  private readonly freshParseTimers = new Map<string, NodeJS.Timeout>();
  /** When each scheduled analysis starts (performance.now()). */
  private readonly deadlines = new Map<string, number>();
  private readonly generations = new Map<string, number>();
  /** How long the last analysis of each document took: slow documents wait longer between runs. */
  private readonly lastCost = new Map<string, number>();
  /** When each document's last analysis ended (performance.now()). */
  private readonly lastRun = new Map<string, number>();
  /** Documents saved since their last analysis. */
  private readonly saves = new Set<string>();
  /** key → document URI → the diagnostics last published there. */
  private readonly published = new Map<string, Map<string, Diagnostic[]>>();
  /** key → document URI → what was sent there (its diagnostics as JSON; undefined when not compared, as for a script), to send only changes. */
  private readonly signatures = new Map<string, Map<string, string | undefined>>();

  constructor(
    private readonly connection: Connection,
    private readonly engine: Promise<Engine>,
    private readonly store: DocumentStore,
    private readonly config: ConfigResolver,
    private readonly log: Log,
    private readonly delay = DEBOUNCE_MS,
  ) {}

  schedule(key: string): void {
    const generation = this.bump(key);
    const now = performance.now();
    const delay = analysisDelay({
      cost: this.lastCost.get(key),
      now,
      lastRun: this.lastRun.get(key),
      pending: this.deadlines.get(key),
      delay: this.delay,
    });
    this.cancel(key);
    this.deadlines.set(key, now + delay);
    const run = (): void => {
      this.timers.delete(key);
      this.deadlines.delete(key);
      void this.log.guardAsync(`diagnostics for ${key}`, undefined, () => this.validate(key, generation));
    };
    // No wait: after the messages already read (changes that arrived together still coalesce), not
    // after a timer's minimum of 1 ms.
    this.timers.set(key, delay === 0 ? { immediate: setImmediate(run) } : { timeout: setTimeout(run, delay) });
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer?.immediate) clearImmediate(timer.immediate);
    if (timer?.timeout) clearTimeout(timer.timeout);
    this.timers.delete(key);
    clearTimeout(this.freshParseTimers.get(key));
    this.freshParseTimers.delete(key);
  }

  /** Once the document has been quiet for `FRESH_PARSE_IDLE_MS`, parses it afresh and publishes again if that changes its diagnostics. */
  private parseAfreshWhenIdle(key: string, generation: number): void {
    clearTimeout(this.freshParseTimers.get(key));
    const timer = setTimeout(() => {
      this.freshParseTimers.delete(key);
      if (this.generations.get(key) !== generation) return;
      void this.log.guardAsync(`diagnostics for ${key}`, undefined, async () => {
        const engine = await this.engine;
        if (this.generations.get(key) === generation && engine.trees.settle(key)) await this.validate(key, generation, true);
      });
    }, FRESH_PARSE_IDLE_MS);
    this.freshParseTimers.set(key, timer);
  }

  /** A document was saved: analyse it (with `mlready.lint.run: onSave`, the only time after opening). */
  saved(key: string): void {
    this.saves.add(key);
    this.schedule(key);
  }

  scheduleAll(): void {
    for (const key of this.store.keys()) this.schedule(key);
  }

  close(key: string): void {
    this.bump(key);
    this.cancel(key);
    this.deadlines.delete(key);
    this.generations.delete(key);
    this.lastCost.delete(key);
    this.lastRun.delete(key);
    for (const uri of this.published.get(key)?.keys() ?? []) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.delete(key);
    this.signatures.delete(key);
    void this.engine.then(
      (engine) => engine.trees.drop(key),
      () => undefined,
    );
  }

  /** The diagnostics last published on a document (a script or a notebook cell). */
  diagnosticsOn(uri: string): Diagnostic[] {
    const key = this.store.keyOf(uri);
    return (key && this.published.get(key)?.get(uri)) || [];
  }

  /** How many diagnostics of `rule` with a safe fix are published on the script or notebook that `uri` belongs to. */
  safeFixCount(uri: string, rule: string): number {
    const key = this.store.keyOf(uri);
    let count = 0;
    for (const diagnostics of (key && this.published.get(key)?.values()) || []) {
      for (const diagnostic of diagnostics) {
        const data = diagnostic.data as { rule?: string; fix?: { applicability?: string } | null } | undefined;
        if (data?.rule === rule && data.fix?.applicability === 'safe') count++;
      }
    }
    return count;
  }

  private bump(key: string): number {
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    return generation;
  }

  /** `afresh`: the analysis after `parseAfreshWhenIdle`, published only if it differs. */
  private async validate(key: string, generation: number, afresh = false): Promise<void> {
    const engine = await this.engine;
    const target = this.store.target(key);
    if (!target) return;
    const { enabled, config, lintRun } = await this.config.forDocument(target.uri);
    if (this.generations.get(key) !== generation) return; // a newer change or a close arrived meanwhile
    // mlready.lint.run = onSave: a document is analysed when opened and when saved, not as it is typed.
    const saved = this.saves.delete(key);
    if (lintRun === 'onSave' && this.published.has(key) && !saved && !afresh) return;
    const fresh = this.store.target(key);
    if (!fresh || !sameVersion(fresh, target)) return;
    let byUri: Map<string, Diagnostic[]>;
    if (!enabled) {
      byUri = new Map(targetUnits(target).map((unit) => [unit.uri, []]));
    } else if (tooLargeForLive(target)) {
      this.log.tooLarge(displayPath(target.uri), targetChars(target));
      byUri = new Map(targetUnits(target).map((unit) => [unit.uri, []]));
    } else {
      const started = performance.now();
      const analysis = engine.analyze(engineInput(target), {
        config,
        ...engine.trees.document(key),
      });
      this.lastCost.set(key, performance.now() - started);
      for (const failure of analysis.failures) this.log.ruleFailed(failure.rule, displayPath(target.uri), failure.message);
      byUri = toDiagnostics(target, analysis);
      this.lastRun.set(key, performance.now());
      const cost = this.lastCost.get(key)!;
      const timing = () => `analysed ${displayPath(target.uri)} in ${cost.toFixed(0)} ms: ${analysis.findings.length} findings`;
      // Slow analyses at info level (they decide how often a document is analysed), every one at debug.
      if (cost >= FAST_ANALYSIS_MS) this.log.info(timing());
      else this.log.debug(timing);
      if (engine.trees.needsSettling(key)) this.parseAfreshWhenIdle(key, generation);
    }
    if (afresh && sameDiagnostics(this.published.get(key), byUri)) return;
    this.publish(key, target, byUri);
    // After the diagnostics are written (the protocol writes on its own setImmediate, queued first).
    setImmediate(collectYoungGeneration);
  }

  /**
   * Sends only what changed: a cell whose diagnostics are the same as last time (most cells of a
   * large notebook after an edit elsewhere) gets no message; a removed cell is cleared.
   */
  private publish(key: string, target: Target, byUri: Map<string, Diagnostic[]>): void {
    const versions = new Map(targetUnits(target).map((unit) => [unit.uri, unit.version]));
    const previous = this.published.get(key);
    const signatures = this.signatures.get(key);
    const next = new Map<string, string | undefined>();
    for (const uri of previous?.keys() ?? []) {
      if (!byUri.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] }); // a removed cell
    }
    // A script's diagnostics change with every version (their edits name it): nothing to compare.
    const compare = byUri.size > 1;
    for (const [uri, diagnostics] of byUri) {
      const signature = diagnostics.length === 0 ? '' : compare ? JSON.stringify(diagnostics) : undefined;
      next.set(uri, signature);
      if (signature !== undefined && previous?.has(uri) && signatures?.get(uri) === signature) continue;
      void this.connection.sendDiagnostics({ uri, version: versions.get(uri), diagnostics });
    }
    this.published.set(key, byUri);
    this.signatures.set(key, next);
  }
}

function sameVersion(a: Target, b: Target): boolean {
  const unitsA = targetUnits(a);
  const unitsB = targetUnits(b);
  return (
    a.version === b.version && unitsA.length === unitsB.length && unitsA.every((unit, i) => unit.uri === unitsB[i].uri && unit.version === unitsB[i].version)
  );
}

function sameDiagnostics(published: Map<string, Diagnostic[]> | undefined, next: Map<string, Diagnostic[]>): boolean {
  if (!published || published.size !== next.size) return false;
  for (const [uri, diagnostics] of next) if (JSON.stringify(published.get(uri)) !== JSON.stringify(diagnostics)) return false;
  return true;
}
