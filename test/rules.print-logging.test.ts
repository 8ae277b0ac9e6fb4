import rule from '../server/src/engine/rules/print-logging';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'import logging\nlogger = logging.getLogger(__name__)\nlogger.info("rows %d", 3)\n' },
    { code: 'with open("out.txt", "w") as fh:\n    print("a,b", file=fh)\n', name: 'printing into a file is output, not logging' },
    { code: 'print >>fh, "a,b"\n', name: 'Python 2 print into a file' },
    { code: 'def print(*args):\n    pass\nprint("shadowed")\n', name: 'a print the file defines itself' },
    { code: { cells: ['import pandas as pd\ndf = pd.DataFrame()', 'print(df.shape)'] }, name: 'notebooks are not checked' },
    { code: 'from pprint import pprint\npprint({"a": 1})\n', name: 'pprint is not print' },
  ],
  invalid: [
    {
      code: 'import sys\nprint("loaded", 3, "rows")\nprint("failed", file=sys.stderr)\n',
      errors: [
        { line: 2, column: 1, message: 'use `logging`' },
        { line: 3, column: 1 },
      ],
      output: null,
    },
    {
      code: 'def main():\n    for epoch in range(3):\n        print(\n            f"epoch {epoch}",\n        )\n\nif __name__ == "__main__":\n    print("done")\n',
      errors: [
        { line: 3, column: 9 },
        { line: 8, column: 5 },
      ],
      name: 'multi-line call and __main__ block',
    },
    {
      code: '# Python 2\nimport sys\nprint "loading data"\nprint >>sys.stderr, "could not save"\nprint "R2: %.3f" % score\n',
      errors: [{ line: 3, column: 1, message: 'statement' }, { line: 4 }, { line: 5 }],
      name: 'Python 2 print statements',
    },
    {
      code: 'from __future__ import print_function\nprint("py2 with the future import")\n',
      errors: [{ line: 2 }],
    },
    {
      code: 'log = print\nlog("aliased")\n',
      errors: [{ line: 2 }],
      name: 'print through an alias',
    },
  ],
});
