import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { createEngine, parseNotebookJson, NotebookFormatError, applyEdits } from '../server/src/engine/index';

const corpus = path.join(__dirname, 'corpus');
const scripts = fs.existsSync(corpus)
  ? fs
      .readdirSync(corpus)
      .filter((f) => f.endsWith('.py'))
      .slice(0, 12)
      .map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'))
  : [];
const notebooks = fs.existsSync(corpus)
  ? fs
      .readdirSync(corpus)
      .filter((f) => f.endsWith('.ipynb'))
      .slice(0, 6)
      .map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'))
  : [];
const BUDGET_MS = 5000;

/** A text mutation: insert, delete or replace a slice with something Python- or JSON-ish. */
const mutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat({ max: 40 }),
  insert: fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ':',
      '"',
      "'",
      '"""',
      '\\',
      '\n',
      '\r\n',
      '\t',
      '    ',
      '!pip install x\n',
      '%%bash\n',
      '%time ',
      'def ',
      'class ',
      'lambda',
      'except:',
      'import ',
      ',',
      '\0',
      '\u{1F600}',
      '\ufeff',
    ),
  ),
});

function mutate(text: string, edits: { at: number; length: number; insert: string }[]): string {
  let result = text;
  for (const edit of edits) {
    const start = Math.floor(edit.at * result.length);
    result = result.slice(0, start) + edit.insert + result.slice(start + edit.length);
  }
  return result;
}

test('mutated scripts: the engine returns findings within its budget, and every fix still applies', async () => {
  assert.ok(scripts.length > 0, 'the corpus has scripts');
  const engine = await createEngine();
  fc.assert(
    fc.property(fc.constantFrom(...scripts), fc.array(mutation, { minLength: 1, maxLength: 6 }), (script, edits) => {
      const text = mutate(script, edits);
      const started = performance.now();
      const analysis = engine.analyze({ path: 'fuzz.py', kind: 'script', text });
      assert.ok(performance.now() - started < BUDGET_MS, 'within the budget');
      assert.deepEqual(analysis.failures, [], 'no rule throws');
      for (const finding of analysis.findings) {
        assert.ok(finding.start >= 0 && finding.end <= text.length && finding.start <= finding.end);
        if (finding.fix) applyEdits(text, finding.fix.edits);
      }
    }),
    { numRuns: 150, seed: 20261123 },
  );
});

test('mutated notebooks: a clear error or findings, never a crash', async () => {
  assert.ok(notebooks.length > 0, 'the corpus has notebooks');
  const engine = await createEngine();
  fc.assert(
    fc.property(fc.constantFrom(...notebooks), fc.array(mutation, { minLength: 1, maxLength: 4 }), (json, edits) => {
      const text = mutate(json, edits);
      let cells;
      try {
        cells = parseNotebookJson(text).cells;
      } catch (error) {
        assert.ok(error instanceof NotebookFormatError, `unexpected ${String(error)}`);
        assert.ok(error.message.length > 10 && !error.message.includes('    at '), 'a message, not a stack trace');
        return;
      }
      const analysis = engine.analyze({ path: 'fuzz.ipynb', kind: 'notebook', cells });
      assert.deepEqual(analysis.failures, [], 'no rule throws');
      for (const finding of analysis.findings) assert.ok(finding.cell !== undefined && finding.cell < cells.length);
    }),
    { numRuns: 150, seed: 20261123 },
  );
});

test('mutated cell sources (magics, shell escapes, broken code) analyse without failures', async () => {
  const engine = await createEngine();
  const cellSource = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '%matplotlib inline',
          '!pip install pandas',
          'x = !ls',
          'df?',
          '%%time',
          '%%bash',
          'import numpy as np',
          'from sklearn.model_selection import train_test_split as tts',
          'tts(X, y)',
          'for i in range(3):',
          '    !echo $i',
          'except:',
          '    pass',
          'model.fit(X, y)',
          'print("x")',
        ),
        fc.string({ maxLength: 30 }),
      ),
      { maxLength: 8 },
    )
    .map((lines) => lines.join('\n'));
  fc.assert(
    fc.property(fc.array(fc.record({ source: cellSource, executionCount: fc.option(fc.nat({ max: 50 })) }), { minLength: 1, maxLength: 8 }), (cells) => {
      const analysis = engine.analyze({ path: 'cells.ipynb', kind: 'notebook', cells });
      assert.deepEqual(analysis.failures, []);
    }),
    { numRuns: 200, seed: 7 },
  );
});
