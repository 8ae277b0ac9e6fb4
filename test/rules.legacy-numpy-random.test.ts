import rule from '../server/src/engine/rules/legacy-numpy-random';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'import numpy as np\nrng = np.random.default_rng(0)\nx = rng.normal(size=3)\nrng.shuffle(x)\n' },
    { code: 'import numpy as np\ng = np.random.Generator(np.random.PCG64(1))\n' },
    { code: 'import numpy as np\nrs = np.random.RandomState(0)\nrs.rand(3)\n', name: 'a seeded local RandomState is not the global state' },
    { code: 'import random\nrandom.seed(0)\nrandom.choice([1, 2])\n', name: 'the standard library random module' },
    { code: 'import numpy as np\nclass R:\n    def rand(self):\n        return 1\nnp.linspace(0, 1)\nR().rand()\n' },
    { code: 'from numpy.random import default_rng\nrng = default_rng(3)\nrng.integers(0, 5)\n' },
  ],
  invalid: [
    {
      code: 'import numpy as np\nnp.random.seed(1234)\nages = np.random.randint(18, 90, size=10)\n',
      errors: [
        { line: 2, column: 1, message: '`np.random.seed`' },
        { line: 3, column: 8, message: 'rng.integers' },
      ],
      output: null,
    },
    {
      code: 'import numpy.random as npr\nd = npr.uniform(0.0, 0.3, size=4)\n',
      errors: [{ line: 2, column: 5, message: '`np.random.uniform`' }],
    },
    {
      code: 'from numpy.random import choice as pick, shuffle\nx = pick([1, 2, 3])\nshuffle(order)\n',
      errors: [{ line: 2 }, { line: 3 }],
      name: 'from numpy.random import … as …',
    },
    {
      code: 'import numpy\nnoise = numpy.random.randn(\n    10,\n    4,\n)\n',
      errors: [{ line: 2, column: 9, message: 'standard_normal' }],
      name: 'multi-line call',
    },
    {
      code: { cells: ['%matplotlib inline\nimport numpy as np', '!pip install numpy\nnp.random.shuffle(idx)'] },
      errors: [{ cell: 1, line: 2, column: 1 }],
      name: 'notebook with magics',
    },
    {
      code: 'import numpy as np\nfor _ in xrange(3):\n    draw = np.random.choice(ids, k)\nprint "done"\n',
      errors: [{ line: 3, column: 12 }],
      name: 'Python 2 file',
    },
  ],
});
