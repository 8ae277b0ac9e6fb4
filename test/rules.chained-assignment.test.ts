import rule from '../server/src/engine/rules/chained-assignment';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'import pandas as pd\ndf = pd.read_csv("x.csv")\ndf.loc[df["d"] > 0.9, "d"] = 0.9\ndf["r"] = df["p"] * df["q"]\ndf[["a", "b"]] = df[["a", "b"]].round(2)\ndf.at[0, "n"] = "x"\ndf.iloc[0, 2] = 0\n',
    },
    { code: 'import pandas as pd\nsettings = {"model": {}}\nsettings["model"]["n"] = 300\n', name: 'nested dict' },
    { code: 'import numpy as np\nimport pandas as pd\ngrid = np.zeros((3, 3))\ngrid[0][1] = 5.0\n', name: 'numpy array by position' },
    { code: 'import numpy as np\nimport pandas as pd\narr = np.arange(5)\narr[arr > 2][0] = 1\n', name: 'an array known to come from numpy' },
    {
      code: 'import pandas as pd\nclass C:\n    def f(self, key):\n        self.cache[key] = 1\n        self.arr[self.arr > 0] = 0\n',
      name: 'attributes of other objects',
    },
    { code: 'import pandas as pd\nweekly = df.groupby("w")["r"].sum().to_frame()\nweekly["rolling"] = weekly["r"].rolling(4).mean()\n' },
    { code: 'x = {}\nx["a"]["b"] = 1\n', name: 'no pandas import' },
    {
      code: 'import pandas as pd\nsheets = pd.read_excel("register.xlsx", sheet_name=None)\nfor name in sheets:\n    sheets[name]["article"] = sheets[name]["category"].str.extract(r"(\\d+)")\nboth = pd.read_excel("r.xlsx", ["Risks", "Controls"])\nboth["Risks"]["owner"] = "ops"\n',
      name: 'read_excel with sheet_name=None or a list returns a dict of frames (zenml-io/zenml-projects, credit-scorer)',
    },
  ],
  invalid: [
    {
      code: 'import pandas as pd\nrisks = pd.read_excel("register.xlsx", sheet_name="Risks")\nrisks["owner"]["r1"] = "ops"\n',
      errors: [{ line: 3 }],
      output: null,
      name: 'read_excel of one sheet is a frame',
    },
    {
      code: 'import pandas as pd\nsales = pd.read_csv("s.csv")\nsales[sales["quantity"] < 0]["quantity"] = 0\n',
      errors: [{ line: 3, column: 1, message: 'Chained indexing' }],
      output: 'import pandas as pd\nsales = pd.read_csv("s.csv")\nsales.loc[sales["quantity"] < 0, "quantity"] = 0\n',
    },
    {
      code: 'import pandas as pd\nsales = pd.read_csv("s.csv")\nsales["region"]["unknown"] = "EMEA"\n',
      errors: [{ line: 3 }],
      output: null,
      name: 'two labels: no fix, the row label is ambiguous',
    },
    {
      code: 'import pandas as pd\nsales = pd.read_csv("s.csv")\nsales.price[sales.price.isna()] = sales.price.median()\n',
      errors: [{ line: 3 }],
      output: 'import pandas as pd\nsales = pd.read_csv("s.csv")\nsales.loc[sales.price.isna(), "price"] = sales.price.median()\n',
    },
    {
      code: 'from pandas import read_parquet as rp\nreturns = rp("r.pq").query("returned == 1").copy()\nreturns["reason"][returns["reason"] == ""] = "unspecified"\n',
      errors: [{ line: 3 }],
      output:
        'from pandas import read_parquet as rp\nreturns = rp("r.pq").query("returned == 1").copy()\nreturns.loc[returns["reason"] == "", "reason"] = "unspecified"\n',
      name: 'alias and method chain; column then mask',
    },
    {
      code: 'import pandas as pd\ndf = pd.DataFrame(d)\nmask = (df.a > 1) & ~df.b.isna()\ndf[mask]["c"] += 1\n',
      errors: [{ line: 4 }],
      output: 'import pandas as pd\ndf = pd.DataFrame(d)\nmask = (df.a > 1) & ~df.b.isna()\ndf.loc[mask, "c"] += 1\n',
      name: 'augmented assignment with a named mask',
    },
    {
      code: 'import pandas as pd\ndf = pd.read_csv("x")\ndf.loc[df.a > 0]["b"] = 1\n',
      errors: [{ line: 3 }],
      output: null,
      name: '.loc followed by another indexing',
    },
    {
      code: 'import pandas as pd\n\ndef clean(df):\n    df[df.subject.isnull()]["subject"] = ""\n    print "cleaned"\n    return df\n',
      errors: [{ line: 4, column: 5 }],
      output: 'import pandas as pd\n\ndef clean(df):\n    df.loc[df.subject.isnull(), "subject"] = ""\n    print "cleaned"\n    return df\n',
      name: 'Python 2 file; a parameter recognised through a mask that tests it',
    },
    {
      code: { cells: ['%matplotlib inline\nimport pandas as pd\ndf = pd.read_csv("x")', '!ls\ndf[df.x > 0]["y"] = 0'] },
      errors: [{ cell: 1, line: 2, column: 1 }],
      name: 'notebook across cells',
    },
  ],
});
