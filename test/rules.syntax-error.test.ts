import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { createEngine } from '../server/src/engine/index';
import rule from '../server/src/engine/rules/syntax-error';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'import joblib\nmodel = joblib.load("m.joblib")\nprint("ready")\n' },
    { code: 'async def handler(request):\n    async with session.get(url) as r:\n        return await r.json()\n' },
    { code: 'match command:\n    case {"action": "predict", **rest}:\n        pass\n    case _:\n        pass\n', name: 'match statements' },
    { code: 'type Vector = list[float]\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n', name: 'Python 3.12 type syntax' },
    { code: 'try:\n    pass\nexcept ValueError, TypeError:\n    pass\n', name: 'except A, B: (Python 3.14)' },
    { code: 'print\nprint()\n', name: 'a bare print name' },
    {
      code: { cells: ['from openai import AsyncOpenAI\nclient = AsyncOpenAI()', 'reply = await client.responses.create(model="gpt-4o", input="hi")'] },
      name: 'notebooks: a top-level await (IPython awaits it)',
    },
    {
      code: 'async def serve(stream):\n    async for chunk in stream:\n        yield [await c for c in chunk]\n',
      name: 'await, async for and yield in an async def',
    },
    { code: 'for row in rows:\n    try:\n        pass\n    finally:\n        continue\n', name: 'continue in finally (Python 3.8)' },
    {
      code: { cells: ['import os\nfrom __future__ import annotations'] },
      name: 'notebooks: a future import mid-cell (IPython compiles each statement on its own)',
    },
    {
      code: '# %%\nfrom openai import AsyncOpenAI\nclient = AsyncOpenAI()\n\n# %% Ask\nreply = await client.responses.create(model="gpt-4o", input="hi")\n',
      name: "a script of `# %%` cells with a top-level await (VS Code's Interactive Window and Jupytext run it as a notebook)",
    },
    {
      // anthropics/anthropic-cookbook@4b36a1e, observability/usage_cost_api.ipynb: the grammar's indentation gap ends the function early
      code: "def example(client):\n    params = {\n        'starting_at': (start -\ntimedelta(days=7)).isoformat(),\n    }\n    return client.get(params)\n",
      name: 'return in a function the grammar closed early (a line inside brackets left of their line)',
    },
    { code: 'def update(state):\n    return state, *[state[k] for k in KEYS]\n', name: 'return with a starred item (grammar gap)' },
    {
      code: 'def window():\n    try:\n        params = {\n            "starting_at": (datetime.combine(today, time.min) -\ntimedelta(days=1)).isoformat(),\n        }\n    except ValueError:\n        raise\n',
      name: 'a continuation line at column 0 inside brackets (grammar gap)',
    },
    { code: { cells: ['%matplotlib inline\n!pip install scikit-learn', '%%time\nmodel.fit(X, y)', 'df.head()'] }, name: 'magics are masked' },
    { code: { cells: ['pip install imblearn\nconda install -y xgboost', 'import pandas as pd'] }, name: "package commands without % (IPython's automagic)" },
    {
      // anthropics/anthropic-cookbook, observability/usage_cost_api.ipynb (code cells 0 and 3)
      code: {
        cells: [
          'def test_connection():\n    try:\n        params = {\n            "starting_at": (datetime.combine(datetime.utcnow(), time.min) -\ntimedelta(days=1)).strftime("%Y-%m-%d"),\n            "limit": 1\n        }\n\n        response = client._make_request("usage_report/messages", params)\n        print("Connection successful!")\n        return client\n\n    except Exception as e:\n        print(e)\n',
        ],
      },
      name: 'statements after a line inside brackets left of its line keep their indentation (grammar gap)',
    },
    {
      code: 'if ready: load(); warm()\nfor x in xs: total += x\nx = 1; y = 2\ndef f():\n        a = 1\n        # a comment anywhere\n  # and here\n        return (a +\n    1)\n',
      name: 'one-line blocks, statements after `;`, comments and continuation lines at any indentation',
    },
    { code: '\tif x:\n\t\ty = 1\n\treturn y\n'.replace(/^\t/, 'def f():\n\t'), name: 'tabs used alike' },
    { code: { cells: ['    df = load()\n    df.head()'] }, name: 'a cell indented as a whole (IPython removes the common indentation)' },
    {
      // rasbt/machine-learning-book 35ab377, ch13/ch13_part1.ipynb: IPython's leading_indent strips the first line's one space.
      code: { cells: [' def compute_z(a, b, c):\n    r1 = a - b\n    return r1 * c\n\nprint(compute_z(1, 2, 3))\n'] },
      name: "a statement at the first column after an indented first line (IPython strips the first line's indentation only where a line starts with it)",
    },
  ],
  invalid: [
    {
      // anthropics/courses@f4dbb13, tool_use/01_tool_use_overview.ipynb cells 14 and 22: JSON typed with curly quotes
      code: { cells: ['{\n  "symbol\u201d: \u201cGM\u201d, \n  "price\u201d: 43.09\n}\n'] },
      errors: [{ cell: 0, line: 2, column: 3, message: 'Syntax error (unterminated string literal)' }],
      output: null,
      name: 'a string closed with a curly quote is unterminated, where Python says so (line 2, column 3)',
    },
    {
      code: 'x = "abc\ny = 1\n',
      errors: [{ line: 1, column: 5, message: 'unterminated string literal' }],
      output: null,
    },
    {
      code: 'x = """abc\ny = 1\n',
      errors: [{ line: 1, column: 5, message: 'unterminated triple-quoted string literal' }],
      output: null,
    },
    {
      code: 'print(f"a {b}\n',
      errors: [{ line: 1, column: 7, message: 'unterminated string literal' }],
      output: null,
      name: 'an unterminated f-string inside an open bracket: the string, as Python reports it',
    },
    {
      // Lightning-AI/pytorch-lightning@7f0c343, strategies/xla.py with its opening quote removed (scripts/syntax-error-mutations.py)
      code: 'raise NotImplementedError(\n    The `XLAStrategy` does not support running on a single device."\n    " Try using all devices or the `SingleDeviceXLAStrategy` strategy"\n)\n',
      errors: [{ line: 2, column: 67, message: 'unterminated string literal' }],
      output: null,
      name: 'a one-line string that error recovery ran into the next line is open where Python ends it',
    },
    {
      // Lightning-AI/pytorch-lightning@7f0c343, pytorch/__init__.py with a closing bracket removed: recovery reads the closing quotes of a later line as opening ones
      code: '_root_logger = logging.getLogger(\n_logger = logging.getLogger(__name__)\n\ndef logo():\n    print("\\033[0;35m" + LOGO + "\\033[0m")\n',
      errors: [{ line: 1, column: 33, message: '`(` is never closed' }],
      output: null,
      name: 'complete strings inside the text an open bracket swallowed are not called unterminated; the bracket is reported where it opens, as Python does',
    },
    {
      code: 'x = "abc" +\ny = 1\n',
      errors: [{ line: 1, message: 'Syntax error (unexpected' }],
      output: null,
      name: 'a complete string before the error is not called unterminated',
    },
    {
      code: 'import joblib\n\ndef predict(features:\n    return model.predict([features])[0]\n',
      errors: [{ line: 3, column: 12, message: 'Syntax error (`(` is never closed)' }],
      output: null,
    },
    {
      code: 'x = [1, 2, 3\ny = 4\nz = (\n',
      errors: [{ line: 1, message: 'Python 3 cannot parse this file' }],
      name: 'one finding per file, at the first error',
    },
    {
      code: 'data = load()\nresult = model.predict(data))\n',
      errors: [{ line: 2 }],
    },
    {
      code: 'import sys\nfor line in sys.stdin:\n    print "got", line\nprint "done"\n',
      errors: [{ line: 3, column: 5, message: 'a Python 2 `print` statement' }],
    },
    {
      code: 'exec "import os"\n',
      errors: [{ line: 1, message: '`exec` statement' }],
    },
    {
      code: { cells: ['import pandas as pd', 'df = = pd.read_csv("x.csv")', 'df.head()', 'if True\n    pass'] },
      errors: [
        { cell: 1, line: 1, message: 'this cell' },
        { cell: 3, line: 1 },
      ],
      name: 'notebooks: one finding per cell that does not parse',
    },
    {
      code: { cells: ['import pandas as pd', 'df = pd.read_csv("x.csv"', 'df.head()'] },
      errors: [{ cell: 1, line: 1 }],
      name: 'an unclosed bracket reported on its own cell',
    },
    {
      // langchain-ai/rag-from-scratch@1fdb7d0 (every notebook): a placeholder left in
      code: { cells: ['import os', "os.environ['OPENAI_API_KEY'] = <your-api-key>"] },
      errors: [{ cell: 1, line: 1, column: 32, message: 'unexpected `<`' }],
      name: 'reported at the token the parser could not place, as Python does',
    },
    {
      code: 'def train(model, loader):\n    for batch in loader:\n        loss = model(batch)\n          loss.backward()\n    return model\n',
      errors: [{ line: 4, column: 11, message: 'indented unlike the lines of its block' }],
      name: 'an unexpected indent (tree-sitter reads it as one more statement of the block)',
    },
    {
      code: 'import pandas as pd\n  df = pd.read_csv("x.csv")\n',
      errors: [{ line: 2, column: 3, message: "Python's `IndentationError`" }],
      name: 'an indented statement at module level',
    },
    {
      code: 'def f():\n    x = 1\n  return x\n',
      errors: [{ line: 3, message: 'indented unlike' }],
      name: 'an unindent that matches no outer level',
    },
    {
      code: 'def f():\n        x = 1\n\treturn x\n',
      errors: [{ line: 3, message: "tabs and spaces mixed in the indentation, Python's `TabError`" }],
      name: 'a tab where the block has eight spaces (TabError)',
    },
    {
      // anthropics/anthropic-cookbook, misc/mc_qa.ipynb (code cell 44)
      code: {
        cells: [
          'import pandas as pd',
          'df = pd.DataFrame(rows)\ndf["answer"] = df.apply(\n    lambda r: r["a"], axis=1)\nfor i, row in df.iterrows():\n    print(i)\n        print(row)',
        ],
      },
      errors: [{ cell: 1, line: 6, message: 'indented unlike' }],
      name: 'notebooks: an unexpected indent in a cell',
    },
    {
      code: { cells: ['  x = load()\n    y = x + 1\n'] },
      errors: [{ cell: 0, line: 2, message: 'indented unlike' }],
      name: 'notebooks: a statement indented beyond the first line of an indented cell (IPython leaves it indented)',
    },
    {
      code: 'import asyncio\nfrom openai import AsyncOpenAI\n\nclient = AsyncOpenAI()\nreply = await client.responses.create(model="gpt-4o", input="hi")\n',
      errors: [{ line: 5, column: 9, message: 'Syntax error (`await` outside an `async def`): Python 3 refuses to compile this file' }],
      name: 'a top-level await copied from a notebook into a script',
    },
    {
      code: 'def fetch(client):\n    return await client.get("/health")\n',
      errors: [{ line: 2, message: '`await` in a function that is not `async def`' }],
      name: 'await in a plain def',
    },
    {
      code: { cells: ['scores = evaluate(model)', 'if scores["auc"] < 0.8:\n    return None'] },
      errors: [{ cell: 1, line: 2, message: '`return` outside a function' }],
      name: 'notebooks: return at the top of a cell (IPython refuses it too)',
    },
    {
      code: 'for batch in loader:\n    train(batch)\nelse:\n    break\n',
      errors: [{ line: 4, message: '`break` outside a loop' }],
      name: "break in a loop's else (it runs after the loop)",
    },
    {
      code: 'return 1\nx = (\n',
      errors: [{ line: 2, message: 'never closed' }],
      name: 'a file that does not parse gets its parse error, which Python reports first',
    },
    {
      code: 'model.fit(X_train, y_train, epochs=10, validation_data)\n',
      errors: [{ line: 1, column: 40, message: 'Syntax error (positional argument follows keyword argument): Python 3 refuses to compile this file' }],
      name: 'a positional argument after a keyword argument (tree-sitter accepts any order)',
    },
    {
      code: 'trainer = Trainer(model=model, epochs=3, learning_rate=1e-4, epochs=5)\n',
      errors: [{ line: 1, column: 62, message: 'keyword argument repeated: `epochs`' }],
      name: 'a keyword argument given twice',
    },
    {
      code: 'def predict(features, threshold=0.5, model):\n    return model(features) > threshold\n',
      errors: [{ line: 1, column: 38, message: 'parameter without a default follows parameter with a default' }],
      name: 'a parameter without a default after one with a default',
    },
    {
      code: 'import os\nfrom __future__ import annotations\n',
      errors: [{ line: 2, message: '`from __future__` imports must occur at the beginning of the file' }],
      name: 'a future import after another import',
    },
    {
      code: 'def f():\n    if ready:\n\treturn 1\n    return 2\n',
      errors: [{ line: 3, column: 2, message: "Python's `TabError`" }],
      name: 'a block indented with a tab under a line indented with spaces (tree-sitter counts the tab as 8 columns, no error)',
    },
    {
      code: 'if ready:\nmodel.fit(X, y)\n',
      errors: [{ line: 2, column: 1, message: "expected an indented block, Python's `IndentationError`" }],
      name: 'a block left empty (tree-sitter reads an empty block, no error): reported on the next line, as Python does',
    },
    {
      code: 'for batch in loader:\n    # train on the batch\n\nprint("done")\n',
      errors: [{ line: 4, message: 'expected an indented block' }],
      name: 'a block of comments only',
    },
    {
      code: 'import os\nif os.environ.get("DEBUG"):\n',
      errors: [{ line: 2, message: 'expected an indented block' }],
      name: 'a block missing at the end of the file: reported on its colon line',
    },
    {
      code: { cells: ['for x in data:', 'print(x)'] },
      errors: [{ cell: 0, line: 1, message: 'expected an indented block' }],
      name: 'notebooks: a cell that ends before its block (Jupyter compiles each cell alone)',
    },
  ],
});

test('indentation errors are found where Python finds them and named as Python names them: random mixes of tabs and spaces against compile()', async () => {
  // Small functions of nested blocks, each line indented with a random mix of spaces and tabs;
  // Python's compile() is the oracle for whether the file parses and on which line it fails.
  const indents = ['', ' ', '  ', '    ', '        ', '\t', '\t\t', '\t ', ' \t', '    \t', '\t    ', '        \t'];
  const statements = ['if x:', 'y = 1', 'for i in x:', 'pass', 'y = 2', 'return x'];
  const programs = fc.sample(
    fc
      .array(fc.tuple(fc.constantFrom(...indents), fc.constantFrom(...statements)), { minLength: 2, maxLength: 6 })
      .map((lines) => `def f(x):\n${lines.map(([indent, statement]) => indent + statement).join('\n')}\n`),
    { numRuns: 400, seed: 20261206 },
  );
  const program = [
    'import json, sys',
    'out = []',
    'for source in json.load(sys.stdin):',
    '    try:',
    '        compile(source, "f.py", "exec")',
    '        out.append(None)',
    '    except SyntaxError as error:',
    '        out.append([error.lineno, type(error).__name__])',
    'print(json.dumps(out))',
  ].join('\n');
  const python = JSON.parse(execFileSync('python3', ['-c', program], { input: JSON.stringify(programs), encoding: 'utf8' })) as ([number, string] | null)[];
  const engine = await createEngine();
  let failing = 0;
  let tabErrors = 0;
  programs.forEach((source, index) => {
    const found = engine.analyze({ path: 'f.py', kind: 'script', text: source }).findings.find((f) => f.rule === 'syntax-error');
    const refused = python[index];
    if (refused === null) assert.equal(found, undefined, `Python compiles ${JSON.stringify(source)}`);
    else {
      const [line, error] = refused;
      failing++;
      if (error === 'TabError') tabErrors++;
      assert.equal(found?.range.start.line, line - 1, `Python fails ${JSON.stringify(source)} on line ${line}`);
      // tree-sitter's blocks differ from Python's where tabs are mixed in: the rule names the error by the tokenizer's levels.
      if (error === 'TabError' || error === 'IndentationError')
        assert.match(found?.message ?? '', new RegExp(`Python's \`${error}\``), `Python's ${error} for ${JSON.stringify(source)}`);
    }
  });
  assert.ok(failing > 100 && failing < programs.length, `${failing} of ${programs.length} fail in Python`);
  assert.ok(tabErrors > 20, `${tabErrors} TabErrors among them`);
});

test('keywords out of place, arguments and parameters are refused where Python refuses them, against compile()', async () => {
  const sources = [
    'return 1\n',
    'for i in x:\n    pass\nelse:\n    break\n',
    'while x:\n    continue\n',
    'def f():\n    return 1\n',
    'class A:\n    return 1\n',
    'yield 1\n',
    'f = lambda: (yield)\n',
    'x = await g()\n',
    'def f():\n    await g()\n',
    'async def f():\n    await g()\n    async for a in b:\n        pass\n',
    'async def f():\n    def g():\n        async with a:\n            pass\n',
    'f = lambda: await g()\n',
    'async def f():\n    return [await x for x in y]\n',
    'for i in x:\n    def g():\n        break\n',
    'for i in x:\n    try:\n        pass\n    finally:\n        continue\n',
    'def f():\n    class A:\n        yield 1\n',
    'x = [(yield) for i in y]\n',
    'def f():\n    x = [(await y) for i in z]\n',
    'async with lock:\n    pass\n',
    'for i in x:\n    match i:\n        case 1:\n            break\n',
    'while True:\n    with open(p) as f:\n        continue\n',
    // Arguments, parameters and imports the compiler refuses, and their valid neighbours.
    'def f(a=1, b):\n    pass\n',
    'def f(x, x):\n    pass\n',
    'f(a=1, b)\n',
    'f(**kw, *args)\n',
    'f(a=1, a=2)\n',
    'f(**kw, a)\n',
    'f(*a, b=1, c)\n',
    'def g():\n    from os import *\n',
    'import os\nfrom __future__ import annotations\n',
    'def f(*, **kw):\n    pass\n',
    'g = lambda x, x: 1\n',
    'class A(x=1, x=2):\n    pass\n',
    'def f(a, /, a):\n    pass\n',
    'def f(a=1, /, b):\n    pass\n',
    'f(a, *args, b=1, *more, **kw)\n',
    'f(*a, *b)\nf(**a, **b)\nf(**a, b=1)\nf(a=1, *b)\n',
    'def f(a, b=1, *args, c, d=2, **kw):\n    pass\n',
    'def f(a=1, /, b=2):\n    pass\n',
    'def f(self, x: int = 1, *args: int, y: str, **kw: int):\n    pass\n',
    'def f(*, a=1, b):\n    pass\n',
    '"""doc"""\n# c\nfrom __future__ import annotations\nfrom __future__ import division\n',
    'from os import *\n',
    'f((x for x in y), 1)\n',
    'async def stream(client):\n    text = ""\n    async for chunk in client.stream():\n        text += chunk\n        yield chunk\n    return text\n',
    'async def stream():\n    yield 1\n    return\n',
    'async def answer():\n    return 1\n',
    'async def outer():\n    def inner():\n        yield 1\n    return inner\n',
    'def gen():\n    yield 1\n    return 2\n',
    'async def agen():\n    f = lambda: (yield)\n    return 3\n', // Targets, declarations, generator arguments and f-string conversions (their lines are Python's too: scripts/syntax-error-agreement.ts).
    'del f()\n',
    'del 1\n',
    'del a + b\n',
    'del (a, f())\n',
    'del [a, b.c, d[0]]\n',
    'del (a)\n',
    'del a, b\n',
    '*a = 1\n',
    '[a, *b, *c] = d\n',
    'a, *b = c\n',
    'for *a in b: pass\n',
    'a, b += 1\n',
    '(a, b) += 1\n',
    '[a] += 1\n',
    'x.y += 1\nx[0] -= 1\n',
    'nonlocal x\n',
    'f(x for x in y, 1)\n',
    '[x for x in a, b]\n',
    'f(x for x in y,)\n',
    'f(x for x in y)\nf((x for x in y), 1)\nsum(x for x in (a, b))\n',
    'def f():\n    x = 1\n    global x\n',
    'def f():\n    print(x)\n    global x\n',
    'def f(x):\n    global x\n',
    'x = 1\nglobal x\n',
    'def f():\n    global x\n    global x\n',
    'def f():\n    y.x = 1\n    global x\n',
    'def f():\n    g(x=1)\n    global x\n',
    'def f():\n    [x for x in y]\n    global x\n',
    'def f():\n    def x(): pass\n    global x\n',
    'f"{x!z}"\n',
    'f"{x!r}"\n',
    'f"{x!s:>10} {y!a}"\n',
    'def f():\n    x = 1\n    def g():\n        nonlocal x\n',
    'def f():\n    x = 1\n    def g():\n        print(x)\n        nonlocal x\n',
    'a, *b, *c = d\n',
    '*a, = b\n',
    'for a, *b, *c in d: pass\n',
    'with x as (*a, *b): pass\n',
    'with x as (a, *b): pass\n',
    'def f():\n    x: int = 1\n    global x\n',
    'class A:\n    x = 1\n    global x\n',
    'def f():\n    global x\n    x = 1\n',
    'def f():\n    if c:\n        x = 1\n    else:\n        global x\n',
    'def f():\n    lambda: x\n    global x\n',
    'def f():\n    for x in y: pass\n    global x\n',
    'def f():\n    with a as x: pass\n    global x\n',
    'def f():\n    (x := 1)\n    global x\n',
    'def f():\n    import x\n    global x\n',
    'x = 1\ndef f():\n    global x\n    x = 2\n',
    'def f():\n    @x\n    def g(): pass\n    global x\n',
    'def f():\n    """x"""\n    global x\n',
    'def f():\n    a.b.x = 1\n    global x\n',
    'def f(*, x):\n    global x\n',
    'def f(**x):\n    nonlocal x\n',
    // What Python evaluates around a nested scope (defaults, annotations, bases, a comprehension's first iterable and its walruses) before a `global`, and `__debug__` in `case` patterns.
    'def f():\n    def g(a=x): pass\n    global x\n',
    'def f():\n    @dec(x)\n    def g(): pass\n    global x\n',
    'def f():\n    class C(x): pass\n    global x\n',
    'def f():\n    def g(a: x): pass\n    global x\n',
    'def f():\n    def g() -> x: pass\n    global x\n',
    'def f():\n    g = lambda a=x: a\n    global x\n',
    'def f():\n    [y for y in x]\n    global x\n',
    'def f():\n    [x for y in z]\n    global x\n',
    'match v:\n    case __debug__: pass\n',
    'match v:\n    case [__debug__]: pass\n',
    "match v:\n    case {'k': 1, **__debug__}: pass\n",
    'match v:\n    case 1 as __debug__: pass\n',
    'match v:\n    case [*__debug__]: pass\n',
    'match v:\n    case P(__debug__=1): pass\n',
    'match v:\n    case a.__debug__: pass\n',
    'match v:\n    case __debug__(): pass\n',
    'match v:\n    case __debug__.x: pass\n',
    'match v:\n    case x.__debug__: pass\n',
    'match v:\n    case P(a=__debug__): pass\n',
    'match v:\n    case [1, (2 | __debug__)]: pass\n',
    'match v:\n    case x if __debug__: pass\n',
    'def f():\n    [(x := 1) for y in z]\n    global x\n',
    'def f():\n    [y for y in z if x]\n    global x\n',
    'def f():\n    [y for y in z for w in x]\n    global x\n',
    'def f():\n    g = lambda: x\n    global x\n',
    'def f():\n    class C(metaclass=x): pass\n    global x\n',
    'def f():\n    class C:\n        y = x\n    global x\n',
    'def f():\n    def g(*, a=x): pass\n    global x\n',
    'def f():\n    def g(*a: x): pass\n    global x\n',
    'def f():\n    def x(a=1): pass\n    global x\n',
    'def f():\n    {k: v for k in x}\n    global x\n',
    'def f():\n    (y for y in x)\n    global x\n',
    'def f():\n    [(w := y) for y in z]\n    global y\n',
    'def f():\n    g = lambda a: (x := a)\n    global x\n',
    'def f():\n    def g(a=1, *, b: int = x): pass\n    global x\n',
    'def f():\n    [[(x := 1) for a in b] for c in d]\n    global x\n',
    'def f():\n    def g(x=1): pass\n    global x\n',
    'def f():\n    class C:\n        def m(self, a=x): pass\n    global x\n',
    // `nonlocal` with no binding in the functions around it (class bodies skipped), and the bindings Python finds.
    'def f():\n    def g():\n        nonlocal x\n',
    'def f():\n    x = 1\n    def g():\n        nonlocal x\n',
    'def f():\n    def g():\n        nonlocal x\n    x = 1\n',
    'def f(x):\n    def g():\n        nonlocal x\n',
    'def f():\n    class C:\n        x = 1\n        def g(self):\n            nonlocal x\n',
    'def f():\n    x=1\n    class C:\n        nonlocal x\n',
    'class C:\n    nonlocal x\n',
    'def f():\n    global x\n    def g():\n        nonlocal x\n',
    'def f():\n    x = 1\n    def g():\n        nonlocal x\n        def h():\n            nonlocal x\n',
    'def f():\n    def g():\n        nonlocal x\n        def h():\n            nonlocal x\n',
    'def f():\n    [y := 1 for _ in range(3)]\n    def g():\n        nonlocal y\n',
    'def f():\n    [y for y in range(3)]\n    def g():\n        nonlocal y\n',
    'def f():\n    print(x)\n    def g():\n        nonlocal x\n',
    'def f():\n    try: pass\n    except E as x: pass\n    def g():\n        nonlocal x\n',
    'def f():\n    del x\n    def g():\n        nonlocal x\n',
    'def f():\n    import x.y\n    def g():\n        nonlocal x\n',
    'def f(v):\n    match v:\n        case [x]: pass\n    def g():\n        nonlocal x\n',
    'def f():\n    g = lambda: 1\n    def h():\n        nonlocal g\n',
    'lambda x: 1\ndef f():\n    def g():\n        nonlocal x\n',
    'def f():\n    x: int\n    def g():\n        nonlocal x\n',
    'def f():\n    def x(): pass\n    def g():\n        nonlocal x\n',
    'def f():\n    def g():\n        def h():\n            nonlocal x\n        x = 2\n',
    'def f():\n    x = 1\n    def g():\n        def h():\n            nonlocal x\n',
    'def f():\n    with a as x: pass\n    def g():\n        nonlocal x\n',
    'def f():\n    for x in a: pass\n    def g():\n        nonlocal x\n',
    'async def f():\n    x = 1\n    async def g():\n        nonlocal x\n',
    'def f():\n    class C:\n        x = 1\n        nonlocal_here = 0\n    def g():\n        nonlocal x\n',
    'def f():\n    (lambda: (yield))\n    def g():\n        nonlocal x\n',
    'def f():\n    x=1\n    [ (lambda: 0) for _ in ()]\n',
    'def f():\n    def g(a=(x:=1)):\n        nonlocal x\n',
    'def f():\n    @(x:=dec)\n    def g():\n        nonlocal x\n',
    'def f():\n    def a():\n        x = 1\n    def g():\n        nonlocal x\n',
    'def f():\n    def g():\n        nonlocal x\n        x = 1\n',
    'def f():\n    class C:\n        def m(self):\n            x = 1\n            def g():\n                nonlocal x\n',
    'class C:\n    def m(self):\n        nonlocal x\n',
    'def f():\n    x = y = 1\n    def g():\n        nonlocal x, y, z\n',
    'def f():\n    class x: pass\n    def g():\n        nonlocal x\n',
    'def f(*, x):\n    def g():\n        nonlocal x\n',
    'def f(*x):\n    def g():\n        nonlocal x\n',
    'def f(x: int = 1, /):\n    def g():\n        nonlocal x\n',
    'def f():\n    a, *x = b\n    def g():\n        nonlocal x\n',
    'def f():\n    x += 1\n    def g():\n        nonlocal x\n',
    'def f():\n    from m import x\n    def g():\n        nonlocal x\n',
    'def f():\n    from m import y as x\n    def g():\n        nonlocal x\n',
    'def f():\n    g = lambda x: x\n    def h():\n        nonlocal x\n',
    'def f():\n    def g(x=1):\n        pass\n    def h():\n        nonlocal x\n',
    'def f():\n    def g() -> (x := int):\n        nonlocal x\n',
    "def f(v):\n    match v:\n        case {'k': x}: pass\n    def g():\n        nonlocal x\n",
    'def f(v):\n    match v:\n        case Point(x=0): pass\n    def g():\n        nonlocal x\n',
    // `__debug__`, which Python refuses to bind, and the reads and non-bindings it accepts.
    '__debug__ = 1\n',
    'x.__debug__ = 1\n',
    'f(__debug__=1)\n',
    'def f(__debug__): pass\n',
    'def __debug__(): pass\n',
    'class __debug__: pass\n',
    'import a as __debug__\n',
    'import __debug__.x\n',
    'from m import __debug__\n',
    'from m import x as __debug__\n',
    'for __debug__ in x: pass\n',
    'for x.__debug__ in y: pass\n',
    '(__debug__ := 1)\n',
    'del __debug__\n',
    'del a, (b, __debug__)\n',
    'with a as __debug__: pass\n',
    'with a as (b, __debug__): pass\n',
    '__debug__ += 1\n',
    '__debug__: int\n',
    'lambda __debug__: 1\n',
    'lambda *, __debug__: 1\n',
    '(__debug__) = 1\n',
    'x = __debug__ = 1\n',
    '*__debug__, = x\n',
    '[x for __debug__ in y]\n',
    'try:\n    pass\nexcept E as __debug__:\n    pass\n',
    'class A(__debug__=1): pass\n',
    'def f(*, __debug__): pass\n',
    'def f(**__debug__): pass\n',
    'async def __debug__(): pass\n',
    'x: __debug__\n',
    'print(__debug__)\nif __debug__:\n    pass\n',
    'x.__debug__\n',
    'x.__debug__ += 1\n',
    'del x.__debug__\n',
    '__debug__[0] = 1\n',
    '__debug__.x = 1\n',
    'a[__debug__] = 1\n',
    'global __debug__\n',
    'f(**{"__debug__": 1})\n',
    'def f(x=__debug__): pass\n',
    'def f(x: __debug__): pass\n',
    'assert __debug__\n',
    // A starred item alone in parentheses, and the tuples of one it is not.
    '(*a) = b\n',
    'x = (*a)\n',
    '(*a), b = c\n',
    'print((*a))\n',
    '[(*a)]\n',
    'for (*a) in b: pass\n',
    '((*a)) = b\n',
    'f(*(a))\n',
    '(*a,) = b\n',
    'x = (*a,)\n',
    'x = (*a, *b)\n',
    'x = (\n    *a,\n)\n',
  ];
  const refused = JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import json, sys\nout = []\nfor s in json.load(sys.stdin):\n    try:\n        compile(s, "f.py", "exec"); out.append(None)\n    except SyntaxError as e:\n        out.append(e.lineno)\nprint(json.dumps(out))',
      ],
      { input: JSON.stringify(sources), encoding: 'utf8' },
    ),
  ) as (number | null)[];
  const engine = await createEngine();
  sources.forEach((text, index) => {
    const finding = engine.analyze({ path: 'f.py', kind: 'script', text }).findings.find((f) => f.rule === 'syntax-error');
    const line = refused[index];
    assert.equal(finding !== undefined, line !== null, `${JSON.stringify(text)}: Python ${line !== null ? 'refuses' : 'compiles'} it`);
    if (finding && line !== null) assert.equal(finding.range.start.line + 1, line, `${JSON.stringify(text)}: on Python's line`);
  });
  assert.ok(refused.filter((line) => line !== null).length >= 10);
});
