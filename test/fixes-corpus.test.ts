import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine, applyEdits, parseNotebookJson, type Engine } from '../server/src/engine/index';
import { fixScriptText, fixNotebookCells } from '../server/src/engine/fix-all';

const corpus = path.join(__dirname, 'corpus');
const examples = path.join(__dirname, '..', 'examples');
const files = [
  ...fs.readdirSync(corpus).map((f) => path.join(corpus, f)),
  ...fs.readdirSync(path.join(examples, 'churn')).map((f) => path.join(examples, 'churn', f)),
].filter((f) => f.endsWith('.py') || f.endsWith('.ipynb'));

function errorCount(engine: Engine, text: string): number {
  const tree = engine.parser.parse(text);
  try {
    let count = 0;
    const cursor = tree.walk();
    // Count ERROR and MISSING nodes: a fix may not add any.
    const visit = (): void => {
      do {
        if (cursor.nodeType === 'ERROR' || cursor.currentNode.isMissing) count++;
        if (cursor.gotoFirstChild()) {
          visit();
          cursor.gotoParent();
        }
      } while (cursor.gotoNextSibling());
    };
    visit();
    cursor.delete();
    return count;
  } finally {
    tree.delete();
  }
}

test('every fix (safe and unsafe) on every corpus script leaves code that parses and changes only its range', async () => {
  const engine = await createEngine();
  let fixes = 0;
  for (const file of files.filter((f) => f.endsWith('.py'))) {
    const text = fs.readFileSync(file, 'utf8');
    const before = errorCount(engine, text);
    for (const finding of engine.analyze({ path: file, kind: 'script', text }).findings) {
      if (!finding.fix) continue;
      fixes++;
      const fixed = applyEdits(text, finding.fix.edits);
      assert.ok(errorCount(engine, fixed) <= before, `${path.basename(file)}: "${finding.fix.title}" (${finding.rule}) breaks the code`);
      // Outside the edits, the text is unchanged: same prefix before the first edit, same suffix after the last.
      const first = Math.min(...finding.fix.edits.map((e) => e.start));
      const last = Math.max(...finding.fix.edits.map((e) => e.end));
      assert.equal(fixed.slice(0, first), text.slice(0, first));
      assert.equal(fixed.slice(fixed.length - (text.length - last)), text.slice(last));
    }
  }
  assert.ok(fixes > 30, `the corpus exercises the fixes (${fixes})`);
});

test('fix-all on every corpus file keeps line endings, parses, and is idempotent', async () => {
  const engine = await createEngine();
  for (const file of files.filter((f) => f.endsWith('.py'))) {
    for (const lineBreak of ['\n', '\r\n']) {
      const text = fs.readFileSync(file, 'utf8').replace(/\r?\n/g, lineBreak);
      const first = fixScriptText(engine, file, text);
      if (lineBreak === '\r\n') assert.ok(!/[^\r]\n/.test(first.result), `${path.basename(file)}: fix-all introduced a bare \\n into a CRLF file`);
      assert.ok(errorCount(engine, first.result) <= errorCount(engine, text), `${path.basename(file)}: fix-all breaks the code`);
      const second = fixScriptText(engine, file, first.result);
      assert.equal(second.applied, 0, `${path.basename(file)}: a second fix-all still changes something`);
      assert.equal(second.result, first.result);
    }
  }
});

test('fix-all on notebooks touches only the cells it concerns', async () => {
  const engine = await createEngine();
  for (const file of files.filter((f) => f.endsWith('.ipynb'))) {
    const { cells } = parseNotebookJson(fs.readFileSync(file, 'utf8'));
    const { result } = fixNotebookCells(engine, file, cells);
    const analysis = engine.analyze({ path: file, kind: 'notebook', cells });
    const fixedCells = new Set(analysis.findings.filter((f) => f.fix?.applicability === 'safe').flatMap((f) => f.fix!.edits.map((e) => e.cell)));
    const codeCells = cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => (cell.cellType ?? 'code') === 'code');
    codeCells.forEach(({ index }, codeIndex) => {
      if (!fixedCells.has(codeIndex))
        assert.equal(result[index].source, cells[index].source, `${path.basename(file)}: cell ${codeIndex} changed without a fix`);
    });
    cells.forEach((cell, index) => {
      if ((cell.cellType ?? 'code') !== 'code') assert.equal(result[index].source, cell.source);
    });
    const again = fixNotebookCells(engine, file, result);
    assert.equal(again.applied, 0, `${path.basename(file)}: notebook fix-all is not idempotent`);
  }
});
