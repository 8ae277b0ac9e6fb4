import rule from '../server/src/engine/rules/notebook-pip-install';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // EleutherAI/lm-evaluation-harness 4e7e0d4, examples/visualize-zeno.ipynb: the project itself, from its examples folder
      code: { cells: ['!pip install -e ..[zeno]', '%pip install -e ../..', 'import pandas as pd'] },
      name: 'the project installed from a subfolder (with an extra)',
    },
    {
      code: { cells: ['%pip install -r requirements.txt', '!pip install -e .', 'import pandas as pd'] },
      name: 'installs from a requirements file or the project',
    },
    {
      // anthropics/courses@f4dbb13, prompt_engineering_interactive_tutorial/AmazonBedrock/anthropic/00_Tutorial_How-To.ipynb
      code: {
        cells: [
          '%pip install -qr ../requirements.txt',
          '!pip install -Ur requirements/base.txt',
          '%pip install --requirement=req.txt -q',
          '!pip install -rreq.txt',
        ],
      },
      name: 'requirements files behind grouped one-letter options (-qr FILE) and the other spellings pip accepts',
    },
    { code: { cells: ['!pip list | grep lightgbm\n!pip freeze > requirements.lock\n%pip show shap\n!ls data'] } },
    { code: { cells: ['import subprocess\n# pip install lightgbm\ns = "pip install x"'] }, name: 'comments and strings are not magics' },
    { code: { cells: ['!conda install --file environment.txt'] } },
    { code: 'import os\nos.system("ls")\n', name: 'scripts are out of scope' },
  ],
  invalid: [
    {
      code: { cells: ['!pip install -e ../other-project', 'import pandas as pd'] },
      errors: [{ line: 1 }],
      name: 'another folder beside the project is not the project',
    },
    {
      code: { cells: ['%pip install -qU pip', '!pip install -qe git+https://github.com/org/pkg', '!pip install -qi https://pypi.org/simple requests'] },
      errors: [
        { cell: 0, line: 1, message: '`pip install` in a notebook' },
        { cell: 1, line: 1, message: '`pip install` in a notebook' },
        { cell: 2, line: 1, message: '`pip install` in a notebook' },
      ],
      output: null,
      name: 'grouped one-letter options that name no requirements file: the packages are still unpinned',
    },
    {
      // codebasics/py@801ee0ee4d34 ML/19_Bagging: `pip install imblearn` without `%`, which IPython's automagic runs as `%pip`
      code: { cells: ['pip install imblearn', 'import pandas as pd'] },
      errors: [{ cell: 0, line: 1, column: 1, message: '`pip install` in a notebook' }],
      output: null,
      name: 'a pip line without % (automagic) is an install, not a syntax error',
    },
    {
      code: { cells: ['!pip install -q lightgbm shap\n%pip install --upgrade scikit-learn', 'import lightgbm'] },
      errors: [
        { cell: 0, line: 1, column: 1, message: '`pip install` in a notebook' },
        { cell: 0, line: 2, column: 1 },
      ],
      output: null,
    },
    {
      code: { cells: ['import x', '!conda install -y -c conda-forge xgboost'] },
      errors: [{ cell: 1, line: 1, column: 1, message: '`conda install`' }],
      name: 'conda -c is a channel, not a constraints file',
    },
    {
      code: { cells: ['if True:\n    !pip3 install torch==2.2.0\n    !python -m pip install polars'] },
      errors: [
        { cell: 0, line: 2, column: 5, message: 'its pins live in the notebook' },
        { cell: 0, line: 3, column: 5, message: 'recorded nowhere' },
      ],
      name: 'indented escapes, pinned single package, python -m pip',
    },
    {
      // instructor and mistralai/cookbook notebooks pin what they install; the message must not say the versions drift.
      code: {
        cells: [
          '!pip install -q "instructor==1.4.0" openai==1.40.0 --upgrade',
          '!pip install -U pandas>=2 numpy==1.26.4',
          '!conda install -y -c conda-forge xgboost=2.0.3',
        ],
      },
      errors: [
        { cell: 0, line: 1, message: 'its pins live in the notebook' },
        { cell: 1, line: 1, message: 'drift between runs' },
        { cell: 2, line: 1, message: 'its pins live in the notebook' },
      ],
      name: 'pinned installs are told where their pins belong, not that they drift',
    },
    {
      code: { cells: [`!pip install ${Array.from({ length: 65 }, (_, i) => `pkg${i}==1.0.${i}`).join(' ')}`] },
      errors: [{ cell: 0, line: 1, message: 'recorded nowhere' }],
      name: 'a line of more than 64 packages is not read package by package (a crafted line cost seconds per keystroke)',
    },
    {
      code: { cells: ['%%bash\nset -e\npip install catboost\n', 'import catboost'] },
      errors: [{ cell: 0, line: 3, column: 1 }],
      name: 'pip install inside a %%bash cell',
    },
    {
      code: { cells: ['%conda install numpy', '%mamba install -c conda-forge shap', '!uv pip install ruff'] },
      errors: [
        { cell: 0, line: 1 },
        { cell: 1, line: 1 },
        { cell: 2, line: 1 },
      ],
    },
  ],
});
