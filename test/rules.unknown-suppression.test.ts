import rule from '../server/src/engine/rules/unknown-suppression';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'import random\nrandom.seed()  # mlready: ignore[missing-seed]\n' },
    { code: 'x = 1  # mlready: ignore\n', name: 'a bare ignore names no rule' },
    { code: '# mlready: ignore-file[print-logging, hardcoded-path]\nprint("x")\n', name: 'file-wide, several names' },
    { code: 's = "# mlready: ignore[missing-sed]"\n', name: 'inside a string, not a comment' },
    { code: '# see the mlready docs on ignore[...] comments\nx = 1\n', name: 'prose that is no directive' },
    { code: { cells: ['import pandas as pd', 'df = pd.read_csv("/data/x.csv")  # mlready: ignore[hardcoded-path]'] }, name: 'a notebook cell' },
  ],
  invalid: [
    {
      code: 'from sklearn.model_selection import train_test_split\nX_train, X_test = train_test_split(X, test_size=0.2)  # mlready: ignore[missing-sed]\n',
      errors: [{ line: 2, column: 73, message: 'did you mean `missing-seed`?' }],
      output: 'from sklearn.model_selection import train_test_split\nX_train, X_test = train_test_split(X, test_size=0.2)  # mlready: ignore[missing-seed]\n',
    },
    {
      code: '# mlready: ignore-file[print-logging,  hardcoded-pth]\nprint("x")\n',
      errors: [{ line: 1, column: 40, message: 'did you mean `hardcoded-path`?' }],
      output: '# mlready: ignore-file[print-logging,  hardcoded-path]\nprint("x")\n',
      name: 'the second of two names, extra spaces',
    },
    {
      code: 'x = 1  # mlready: ignore[no-such-thing-at-all]\n',
      errors: [{ line: 1, column: 26, message: 'suppresses nothing' }],
      output: null,
      name: 'nothing close: no fix',
    },
    {
      code: { cells: ['import pandas as pd', 'df = pd.read_csv("/data/x.csv")  # mlready: ignore[hardcoded_path]'] },
      errors: [{ line: 1, message: 'did you mean `hardcoded-path`?' }],
      name: 'a notebook cell, underscores for dashes',
    },
  ],
});
