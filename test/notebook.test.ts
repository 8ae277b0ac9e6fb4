import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildNotebookProgram, parseNotebookJson, NotebookFormatError, locateInNotebook } from '../server/src/engine/notebook';
import { LineIndex } from '../server/src/engine/text';
import { createEngine } from '../server/src/engine/index';

test('code cells are joined in order; markdown cells are skipped; offsets map back to cells', () => {
  const program = buildNotebookProgram([
    { source: 'import numpy as np', cellType: 'code', executionCount: 1 },
    { source: '# Title', cellType: 'markdown' },
    { source: 'x = 1\ny = np.zeros(3)', cellType: 'code', executionCount: 2 },
  ]);
  assert.equal(program.cells.length, 2);
  assert.equal(program.cells[1].index, 1);
  assert.equal(program.cells[1].notebookIndex, 2);
  const lines = new LineIndex(program.text);
  const offset = program.text.indexOf('np.zeros');
  const located = locateInNotebook(program, lines, offset);
  assert.equal(located.cell.index, 1);
  assert.deepEqual(located.position, { line: 1, column: 4 });
});

test('magics and shell escapes are masked with same-length valid Python', () => {
  const source = '%matplotlib inline\n!pip install pandas\nfiles = !ls data\ndf?\nfor i in range(3):\n    !echo $i\nx = 1';
  const program = buildNotebookProgram([{ source }]);
  assert.equal(program.text.length, source.length + 1, 'masking keeps every offset');
  assert.deepEqual(
    program.magics.map((m) => m.kind),
    ['line-magic', 'shell', 'shell', 'help', 'shell'],
  );
  assert.equal(program.magics[1].text, '!pip install pandas');
  assert.ok(program.text.includes('x = 1'));
});

test('the masked notebook parses without errors', async () => {
  const engine = await createEngine();
  const program = buildNotebookProgram([
    { source: '%%time\nimport os' },
    { source: '%%bash\n  echo hi\n  ls -la' },
    { source: 'for i in range(3):\n    !echo $i\nt = %timeit -o sum(range(10))' },
  ]);
  const tree = engine.parser.parse(program.text);
  try {
    assert.equal(tree.rootNode.hasError, false, program.text);
  } finally {
    tree.delete();
  }
});

test('nbformat 4 with list-of-lines sources and execution counts', () => {
  const { cells } = parseNotebookJson(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'code', source: ['import os\n', 'x = 1'], execution_count: 3, metadata: {}, outputs: [] },
        { cell_type: 'markdown', source: 'text', metadata: {} },
      ],
    }),
  );
  assert.equal(cells[0].source, 'import os\nx = 1');
  assert.equal(cells[0].executionCount, 3);
  assert.equal(cells[1].cellType, 'markdown');
});

test('malformed notebooks give one clear error that says what and where', () => {
  const cases: [string, RegExp][] = [
    ['{"cells": [', /^not valid JSON: /],
    ['{\n  "nbformat": 4,\n  "cells": [}\n}', /^not valid JSON: .*line 3, column 13/],
    ['[]', /top level is not a JSON object/],
    [JSON.stringify({ nbformat: 3, worksheets: [] }), /nbformat 3 is not supported/],
    [JSON.stringify({ nbformat: 5, cells: [] }), /unsupported nbformat 5/],
    [JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: null }] }), /invalid notebook at cells\.0\.source/],
    [JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: 12 }] }), /cells\.0\.source/],
    [JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: [['nested']] }] }), /cells\.0\.source/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(
      () => parseNotebookJson(text),
      (error: unknown) => error instanceof NotebookFormatError && expected.test(error.message),
      text,
    );
  }
});

test("a notebook whose code cells hold more than a script's limit is refused with a reason, before the parser runs out of memory", async () => {
  const { MAX_SCRIPT_BYTES } = await import('../server/src/engine/safe-fs');
  const line = 'x = [1, 2, (3, {"k": 4})]\n';
  const cell = (lines: number) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: line.repeat(lines) });
  const half = Math.ceil(MAX_SCRIPT_BYTES / line.length / 2);
  // Two cells, each under the limit, together over it; a markdown cell of any size does not count.
  const over = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell(half), cell(half + 10)] });
  assert.throws(
    () => parseNotebookJson(over),
    (error: unknown) =>
      error instanceof NotebookFormatError && error.message === 'too large to analyse (its code cells hold more than 8.0 MB, the limit for a script)',
  );
  const prose = { cell_type: 'markdown', metadata: {}, source: 'word '.repeat(MAX_SCRIPT_BYTES / 4) };
  const under = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell(half - 10), prose] });
  assert.equal(parseNotebookJson(under).cells.length, 2);
});

test('a suppression comment on a magic line is kept for the parser', async () => {
  const engine = await createEngine();
  const program = buildNotebookProgram([{ source: '!pip install pandas  # mlready: ignore[notebook-pip-install]\nx = 1' }]);
  assert.equal(program.magics[0].text, '!pip install pandas');
  assert.ok(program.text.includes('# mlready: ignore[notebook-pip-install]'));
  const analysis = engine.analyze({
    path: 'n.ipynb',
    kind: 'notebook',
    cells: [{ source: '!pip install pandas  # mlready: ignore[notebook-pip-install]\n%pip install numpy' }],
  });
  assert.deepEqual(
    analysis.findings.filter((f) => f.rule === 'notebook-pip-install').map((f) => f.range.start.line),
    [1],
  );
});

test('a shell or magic line ending with a backslash continues on the next lines; a cell magic may follow comment lines', async () => {
  const engine = await createEngine();
  const cells = [
    { source: '!pip install -qU \\\n    langchain==0.1.11 \\\n    openai==1.14.0\nimport os' },
    { source: '#@title Start the web UI\n#@markdown Press play\n%%html\n<audio src="x.m4a" controls>' },
    { source: '%%time\nx = 1' },
  ];
  const program = buildNotebookProgram(cells);
  // The backslash-continued `!pip` is one shell command over three lines; `import os` after it is Python.
  assert.deepEqual(
    program.magics.map((m) => [m.kind, m.text.split('\n').length]),
    [
      ['shell', 3],
      ['cell-magic', 1],
      ['cell-magic', 1],
      ['cell-magic', 1],
    ],
  );
  assert.ok(program.text.includes('import os') && program.text.includes('#@title'));
  const analysis = engine.analyze({ path: 'nb.ipynb', kind: 'notebook', cells });
  assert.equal(analysis.model.root.hasError, false, 'the masked program parses');
});

test('a line that continues a bracket, a string or a backslash is Python, not a magic (IPython reads it so)', async () => {
  const engine = await createEngine();
  const cases: Array<{ source: string; magics: string[] }> = [
    // The modulo operator on a continuation line (issue 16: it became a syntax error).
    { source: 'mse = 0.5\nprint("MSE: %.2f"\n% mse)', magics: [] },
    { source: 'rows = [\n    1,\n    -2,\n]\n!ls', magics: ['!ls'] },
    { source: 'x = {"a": 1,\n     "b": 2\n     % 2}', magics: [] },
    { source: 'total = 10 \\\n% 3', magics: [] },
    { source: 'text = """\n%matplotlib inline is in a string\n!ls too\n"""\n%matplotlib inline', magics: ['%matplotlib inline'] },
    { source: "s = '''a\n% b'''\n!ls", magics: ['!ls'] },
    // A `#` or a bracket in a comment or a string does not open anything.
    { source: 'x = "(" # [\n%time f()', magics: ['%time f()'] },
    { source: 'f(1,  # (\n  2)\n%who', magics: ['%who'] },
    // After a magic line, the next line starts a logical line again.
    { source: '%time f()\n!ls', magics: ['%time f()', '!ls'] },
    // A magic runs to the end of its logical line: IPython joins bracketed continuation lines.
    {
      source: 'for i in range(2):\n    %timeit np.fromiter((a + b for a, b in zip(x, y)),\n                        dtype=float, count=3)\n    x = 1',
      magics: ['%timeit np.fromiter((a + b for a, b in zip(x, y)),\n                        dtype=float, count=3)'],
    },
  ];
  for (const { source, magics } of cases) {
    const program = buildNotebookProgram([{ source }]);
    assert.deepEqual(
      program.magics.map((m) => m.text),
      magics,
      source,
    );
    const tree = engine.parser.parse(program.text);
    try {
      assert.equal(tree.rootNode.hasError, false, program.text);
    } finally {
      tree.delete();
    }
  }
});

test('a key repeated anywhere in a notebook is refused, however its strings are escaped; other notebooks are read', async () => {
  const fc = await import('fast-check');
  const { visit } = await import('jsonc-parser');
  const cell = '{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}';
  const wrap = (cells: string, extra = '') => `{"nbformat": 4, "nbformat_minor": 5, "metadata": {${extra}}, "cells": [${cells}]}`;
  const repeated: [string, string][] = [
    [wrap(cell.replace('"metadata"', '"source": "y = 2", "metadata"')), 'source'],
    [wrap(cell, '"a\\"b": 1, "a\\"b": 2'), 'a\\"b'],
    [wrap(cell, '"k\\\\": {"x": [1, {"y": 1, "y": 2}]}'), 'y'],
    [wrap(cell, '"__proto__": 1, "__proto__": 2'), '__proto__'],
    [wrap(cell, '"t" \n\t : 1, "t":2'), 't'],
  ];
  for (const [text, key] of repeated) {
    assert.throws(
      () => parseNotebookJson(text),
      (error: unknown) => error instanceof NotebookFormatError && error.message.includes(`repeats the key "${JSON.parse(`"${key}"`)}"`),
      text,
    );
  }
  // Strings that look like keys but are values (a colon inside, an escaped quote before a colon) repeat nothing.
  const fine = [
    wrap(cell, '"a": ":", "b": "\\":", "c": ["\\\\", ":"], "d": {"a": 1}, "e": {}, "f": "\\\\\\":"'),
    wrap(cell.replace('"x = 1"', '"s = \\"a\\": 1\\n"')),
  ];
  for (const text of fine) assert.equal(parseNotebookJson(text).cells.length, 1, text);

  // Any JSON object: refused exactly when jsonc-parser's visitor sees a key twice in one object.
  const key = fc.constantFrom('a', 'b', '"', '\\', ':', 'a:', '__proto__', ' ');
  const value = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('1', 'null', '"x"', '":"', '"\\\\"', '"\\":"'), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    object: fc
      .array(fc.tuple(key, tie('value'), fc.constantFrom('', ' ', '\n ')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v, space]) => `${JSON.stringify(k)}${space}:${v}`).join(',')}}`),
  })).object;
  fc.assert(
    fc.property(value, (extra) => {
      const text = `{"nbformat": 4, "cells": [], "metadata": ${extra}}`;
      let repeats = false;
      const stack: Set<string>[] = [];
      visit(text, {
        onObjectBegin: () => void stack.push(new Set()),
        onObjectEnd: () => void stack.pop(),
        onObjectProperty: (property) => {
          const keys = stack[stack.length - 1];
          if (keys.has(property)) repeats = true;
          keys.add(property);
        },
      });
      let refused = false;
      try {
        parseNotebookJson(text);
      } catch (error) {
        assert.ok(error instanceof NotebookFormatError);
        refused = /repeats the key/.test(error.message);
      }
      assert.equal(refused, repeats, text);
    }),
    { numRuns: 500 },
  );
});
