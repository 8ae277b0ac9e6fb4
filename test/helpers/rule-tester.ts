import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  createEngine,
  applyEdits,
  type Applicability,
  type Rule,
  type AnalyzeInput,
  type Finding,
  type MlreadyConfig,
  type Severity,
  DEFAULT_CONFIG,
} from '../../server/src/engine/index';

/** A case's source: a script, or a notebook given as its code cells (with optional execution counts). */
export type CaseSource = string | { cells: (string | { source: string; executionCount?: number | null; cellType?: 'code' | 'markdown' })[] };

export interface ValidCase {
  code: CaseSource;
  name?: string;
  /** The file's path (as ESLint's `filename`): `case.py` or `case.ipynb` unless given. */
  filename?: string;
  config?: Partial<MlreadyConfig>;
}

export interface ExpectedFinding {
  /** 1-based line (in the cell for notebooks). */
  line: number;
  /** 1-based column. */
  column?: number;
  /** 1-based line where the finding ends. */
  endLine?: number;
  /** 1-based column just after the finding's last character. */
  endColumn?: number;
  cell?: number;
  /** A substring the message must contain. */
  message?: string;
  /** The severity reported (the rule's default unless the case's config overrides it). */
  severity?: Severity;
  /** The applicability of the finding's fix, or null for a finding without one. */
  fix?: Applicability | null;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** The script after applying every fix of this rule (safe and unsafe), or null to assert there is no fix. */
  output?: string | null;
}

function toInput(code: CaseSource, filename?: string): AnalyzeInput {
  if (typeof code === 'string') return { path: filename ?? 'case.py', kind: 'script', text: code };
  return {
    path: filename ?? 'case.ipynb',
    kind: 'notebook',
    cells: code.cells.map((cell, index) =>
      typeof cell === 'string'
        ? { source: cell, executionCount: index + 1 }
        : { source: cell.source, executionCount: cell.executionCount, ...(cell.cellType ? { cellType: cell.cellType } : {}) },
    ),
  };
}

function label(c: ValidCase): string {
  if (c.name) return c.name;
  const text = typeof c.code === 'string' ? c.code : c.code.cells.map((cell) => (typeof cell === 'string' ? cell : cell.source)).join(' ⏎cell⏎ ');
  return text.replace(/\s+/g, ' ').slice(0, 80);
}

/** ESLint-style table test of one rule: `valid` cases report nothing, `invalid` ones exactly `errors`. */
export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const run = async (c: ValidCase): Promise<Finding[]> => {
    const engine = await createEngine();
    const config: MlreadyConfig = { ...DEFAULT_CONFIG, ...c.config };
    const analysis = engine.analyze(toInput(c.code, c.filename), { config, rules: [rule] });
    assert.deepEqual(analysis.failures, [], 'the rule threw');
    return analysis.findings;
  };
  for (const c of cases.valid) {
    test(`${rule.name} valid: ${label(c)}`, async () => {
      const findings = await run(c);
      assert.deepEqual(
        findings.map((f) => `${f.cell ?? ''}:${f.range.start.line + 1}: ${f.message}`),
        [],
      );
    });
  }
  for (const c of cases.invalid) {
    test(`${rule.name} invalid: ${label(c)}`, async () => {
      const findings = await run(c);
      assert.equal(
        findings.length,
        c.errors.length,
        `expected ${c.errors.length} finding(s), got: ${findings.map((f) => `${f.cell ?? ''}:${f.range.start.line + 1}:${f.range.start.column + 1} ${f.message}`).join(' | ')}`,
      );
      c.errors.forEach((expected, i) => {
        const actual = findings[i];
        assert.equal(actual.range.start.line + 1, expected.line, `finding ${i} line`);
        if (expected.column !== undefined) assert.equal(actual.range.start.column + 1, expected.column, `finding ${i} column`);
        if (expected.endLine !== undefined) assert.equal(actual.range.end.line + 1, expected.endLine, `finding ${i} end line`);
        if (expected.endColumn !== undefined) assert.equal(actual.range.end.column + 1, expected.endColumn, `finding ${i} end column`);
        if (expected.cell !== undefined) assert.equal(actual.cell, expected.cell, `finding ${i} cell`);
        // Every finding, whether the case names them or not: a range that ends after it starts, the
        // severity the rule (or the case's configuration) gives, and a fix no stronger than the rule declares.
        const { start, end } = actual.range;
        assert.ok(end.line > start.line || (end.line === start.line && end.column > start.column), `finding ${i} has an empty or reversed range`);
        const severity = expected.severity ?? c.config?.severity?.[rule.name] ?? rule.severity;
        assert.equal(actual.severity, severity, `finding ${i} severity (name it in the case when the rule reports its own)`);
        if (expected.fix !== undefined) assert.equal(actual.fix?.applicability ?? null, expected.fix, `finding ${i} fix applicability`);
        else if (actual.fix) {
          assert.ok(rule.fix !== undefined, `finding ${i} has a fix, but ${rule.name} declares none`);
          if (rule.fix === 'unsafe') assert.equal(actual.fix.applicability, 'unsafe', `finding ${i}: ${rule.name} declares unsafe fixes only`);
        }
        if (expected.message !== undefined) assert.ok(actual.message.includes(expected.message), `message "${actual.message}" lacks "${expected.message}"`);
      });
      if (c.output !== undefined) {
        const fixes = findings.map((f) => f.fix).filter((fix) => fix !== null);
        if (c.output === null) {
          assert.equal(fixes.length, 0, 'expected no fix');
        } else {
          assert.ok(typeof c.code === 'string', 'fix outputs are checked on scripts');
          assert.ok(fixes.length > 0, 'expected a fix');
          const fixed = applyEdits(c.code as string, dedupe(fixes.flatMap((fix) => fix!.edits)));
          assert.equal(fixed, c.output);
          // A fix must leave code that still parses.
          const engine = await createEngine();
          const tree = engine.parser.parse(fixed);
          try {
            assert.equal(tree.rootNode.hasError, false, `the fixed code does not parse:\n${fixed}`);
          } finally {
            tree.delete();
          }
        }
      }
    });
  }
}

/** Import insertions shared by several fixes are applied once. */
function dedupe<T extends { start: number; end: number; text: string }>(edits: T[]): T[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.start}:${edit.end}:${edit.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
