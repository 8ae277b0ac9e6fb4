import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { createEngine, parseNotebookJson, buildNotebookProgram, type CellInput } from '../server/src/engine/index';
import type { SyntaxTree } from '../server/src/engine/parser';

const corpus = path.join(__dirname, 'corpus');

const columns = (tree: SyntaxTree) => ({
  count: tree.count,
  typeIds: [...tree.typeIds],
  starts: [...tree.starts],
  ends: [...tree.ends],
  fieldIds: [...tree.fieldIds],
  parents: [...tree.parents],
  subtreeEnds: [...tree.subtreeEnds],
  missing: [...tree.missingIds].sort((a, b) => a - b),
});

const code = (...sources: string[]): CellInput[] => sources.map((source) => ({ cellType: 'code', source }));

test("a notebook's tree, its cells parsed one by one, equals the joined program's tree when no cell has an error", async () => {
  const engine = await createEngine();
  let compared = 0;
  for (const file of fs.readdirSync(corpus).filter((name) => name.endsWith('.ipynb'))) {
    const program = buildNotebookProgram(parseNotebookJson(fs.readFileSync(path.join(corpus, file), 'utf8')).cells);
    const joined = engine.parser.parseSyntax(program.text);
    const composed = engine.parser.notebookSyntax(program);
    assert.equal(composed.hasErrors, joined.hasErrors, file);
    if (joined.hasErrors) continue;
    assert.deepEqual(columns(composed), columns(joined), file);
    assert.equal(composed.rootNode.toString(), joined.rootNode.toString(), file);
    compared++;
  }
  assert.ok(compared >= 5, `compared ${compared} notebooks`);
});

test('cells of statements, blocks, comments, blank lines and magics compose as the joined program parses (fast-check)', async () => {
  const engine = await createEngine();
  const pieces = [
    'import numpy as np',
    'x = 1',
    '',
    '# a comment',
    '    # an indented comment',
    'def f(a):\n    return a + 1',
    'def g():\n    y = 2\n    # trailing comment in the block',
    'class A:\n    def m(self):\n        pass\n',
    'for i in range(3):\n    print(i)\n\n',
    'if x:\n    pass\nelse:\n    x = 2',
    '%matplotlib inline',
    '!pip install torch',
    'df.head()',
    '"""docstring"""',
    'x = [\n    1,\n    2,\n]',
    's = "\u{1F600} café"',
    '\n\n',
  ];
  let compared = 0;
  fc.assert(
    fc.property(fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 4 }), { minLength: 1, maxLength: 6 }), (cellPieces) => {
      const program = buildNotebookProgram(code(...cellPieces.map((lines) => lines.join('\n'))));
      const joined = engine.parser.parseSyntax(program.text);
      const composed = engine.parser.notebookSyntax(program);
      if (joined.hasErrors || composed.hasErrors) return;
      // One difference is right: the joined parse hangs a comment that opens a cell in the
      // previous cell's last block; parsed on its own, the cell keeps its comment.
      const cellOf = (offset: number) => program.cells.findIndex((cell) => offset >= cell.start && offset <= cell.end);
      const commentId = engine.parser.grammar.idsOf('comment')[0];
      let crossing = false;
      for (let id = 1; id < joined.count; id++) {
        const parent = joined.parents[id];
        if (joined.typeIds[id] === commentId && parent > 0 && cellOf(joined.starts[id]) !== cellOf(joined.starts[parent])) crossing = true;
      }
      if (crossing) return;
      assert.deepEqual(columns(composed), columns(joined));
      compared++;
    }),
    { numRuns: 150 },
  );
  assert.ok(compared > 50, `compared ${compared} notebooks`);
});

test('a string or bracket left open is an error of its cell only: the next cells are read as they are, as Jupyter runs them', async () => {
  const engine = await createEngine();
  const cells = code('import requests\nx = """', 'r = requests.get("https://example.com/data")');
  const analysis = engine.analyze({ path: 'open.ipynb', kind: 'notebook', cells });
  // Read as one program, the second cell would be inside the first cell's string.
  assert.deepEqual(
    analysis.findings.map((finding) => `${finding.rule}@${finding.cell}`),
    ['syntax-error@0', 'request-without-timeout@1'],
  );
  // Two cells that only parse joined: Jupyter rejects each of them.
  const split = engine.analyze({ path: 'split.ipynb', kind: 'notebook', cells: code('x = (1,', '2)') });
  assert.deepEqual(
    split.findings.filter((finding) => finding.rule === 'syntax-error').map((finding) => finding.cell),
    [0, 1],
  );
});

test('errors inside a cell, also one only a hidden MISSING token shows, are errors of the notebook', async () => {
  const engine = await createEngine();
  for (const cells of [code('x = 1', 'import a b', 'y = 2'), code('def f(:\n    pass', 'y = 2'), code('', ')')]) {
    const program = buildNotebookProgram(cells);
    const composed = engine.parser.notebookSyntax(program);
    assert.equal(composed.hasErrors, true, JSON.stringify(cells));
    assert.equal(composed.rootNode.hasError, true, JSON.stringify(cells));
    // Each cell's nodes are its own tree's, moved to the cell's place.
    const span = program.cells[1];
    const own = engine.parser.parseSyntax(program.text.slice(span.start, span.end));
    const moved = composed.rootNode.children.filter((node) => node.startIndex >= span.start && node.endIndex <= span.end + 1);
    const ownTop = own.rootNode.type === 'module' ? own.rootNode.children : [own.rootNode];
    assert.deepEqual(
      moved.map((node) => [node.type, node.startIndex - span.start, node.endIndex - span.start, node.hasError]),
      ownTop.map((node) => [node.type, node.startIndex, node.endIndex, node.hasError]),
    );
  }
});

test('the tree cache parses only the cells an edit changed, and its tree equals a fresh one, edit after edit', async () => {
  const engine = await createEngine();
  const file =
    fs.readdirSync(corpus).find((name) => name.endsWith('.ipynb') && name.includes('leak')) ?? fs.readdirSync(corpus).find((name) => name.endsWith('.ipynb'));
  assert.ok(file);
  const start = parseNotebookJson(fs.readFileSync(path.join(corpus, file), 'utf8')).cells;
  const codeIndexes = start.flatMap((cell, index) => ((cell.cellType ?? 'code') === 'code' ? [index] : []));
  let run = 0;
  let reused = 0;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          cell: fc.nat({ max: codeIndexes.length - 1 }),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          insert: fc.constantFrom('x', '\n', '(', ')', '#', 'import os\n'),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      (edits) => {
        const key = `notebook-syntax-${run++}`;
        let cells = [...start];
        engine.trees.syntax(key, '', buildNotebookProgram(cells));
        try {
          for (const edit of edits) {
            const index = codeIndexes[edit.cell];
            const source = cells[index].source;
            const at = Math.floor(edit.at * source.length);
            cells = [...cells];
            cells[index] = { ...cells[index], source: source.slice(0, at) + edit.insert + source.slice(at) };
            const program = buildNotebookProgram(cells);
            const cached = engine.trees.syntax(key, program.text, program);
            assert.deepEqual(columns(cached), columns(engine.parser.notebookSyntax(program)));
            assert.equal(cached.hasErrors, engine.parser.notebookSyntax(program).hasErrors);
            reused += cached.reusedNodes;
          }
        } finally {
          engine.trees.drop(key);
        }
      },
    ),
    { numRuns: 40 },
  );
  assert.ok(reused > 0, 'unchanged cells are not parsed again');
});
