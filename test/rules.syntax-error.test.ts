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
    { code: 'def update(state):\n    return state, *[state[k] for k in KEYS]\n', name: 'return with a starred item (grammar gap)' },
    {
      code: 'def window():\n    try:\n        params = {\n            "starting_at": (datetime.combine(today, time.min) -\ntimedelta(days=1)).isoformat(),\n        }\n    except ValueError:\n        raise\n',
      name: 'a continuation line at column 0 inside brackets (grammar gap)',
    },
    { code: { cells: ['%matplotlib inline\n!pip install scikit-learn', '%%time\nmodel.fit(X, y)', 'df.head()'] }, name: 'magics are masked' },
  ],
  invalid: [
    {
      code: 'import joblib\n\ndef predict(features:\n    return model.predict([features])[0]\n',
      errors: [{ line: 3, message: 'Syntax error: `(` is never closed' }],
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
  ],
});
