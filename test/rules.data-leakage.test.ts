import rule from '../server/src/engine/rules/data-leakage';
import { ruleTester } from './helpers/rule-tester';

const imports = 'from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n';

ruleTester(rule, {
  valid: [
    {
      code: `${imports}X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nscaler = StandardScaler()\nX_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)\n`,
      name: 'fitted on the training split',
    },
    {
      code: `${imports}from sklearn.decomposition import PCA\ncoords = PCA(n_components=2).fit_transform(X)\nplt.scatter(coords[:, 0], coords[:, 1])\nX_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=1)\n`,
      name: 'PCA only for a plot',
    },
    {
      code: `${imports}from sklearn.pipeline import make_pipeline, Pipeline\nfrom sklearn.linear_model import LogisticRegression\nX_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=1)\npipe = Pipeline([("s", StandardScaler()), ("m", LogisticRegression())])\npipe.fit(X_tr, y_tr)\nmake_pipeline(StandardScaler(), LogisticRegression()).fit(X_tr, y_tr)\n`,
      name: 'inside a Pipeline',
    },
    {
      code: `${imports}from sklearn.preprocessing import OneHotEncoder\nregions = OneHotEncoder().fit(pd.DataFrame({"r": ["n", "s"]}))\nX_tr, X_te = train_test_split(X, random_state=0)\n`,
      name: 'an encoder on a fixed list of categories',
    },
    {
      code: `${imports}from sklearn.preprocessing import LabelEncoder, Normalizer\ny = LabelEncoder().fit_transform(y)\nX = Normalizer().fit_transform(X)\nX_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)\n`,
      name: 'label encoders and stateless transformers',
    },
    {
      code: `${imports}from sklearn.model_selection import KFold\nkf = KFold(5, shuffle=True, random_state=0)\nfor tr, te in kf.split(X):\n    s = StandardScaler().fit(X[tr])\n    Xs = s.transform(X[tr])\n    Xt = s.transform(X[te])\n`,
      name: 'fitted on each training fold',
    },
    { code: `${imports}X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)\nX = StandardScaler().fit_transform(X)\n`, name: 'fit after the split' },
    {
      code: `${imports}def prep(X):\n    return StandardScaler().fit_transform(X)\ndef split(X):\n    return train_test_split(X, y, random_state=0)\n`,
      name: 'different functions, no data flow by name',
    },
  ],
  invalid: [
    {
      code: `${imports}X = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n`,
      errors: [{ line: 3, column: 5, message: '`StandardScaler` is fitted (`fit_transform`)' }],
      output: null,
    },
    {
      code: 'import pandas as pd\nfrom sklearn.feature_selection import SelectKBest, f_classif\nfrom sklearn.impute import SimpleImputer\nfrom sklearn.model_selection import train_test_split as tts\nfrom sklearn.preprocessing import StandardScaler as Scaler\n\nX = SimpleImputer(strategy="median").fit_transform(X)\nscaler = Scaler()\nX_scaled = scaler.fit_transform(X)\nselector = SelectKBest(f_classif, k=20)\nX_sel = selector.fit_transform(\n    X_scaled,\n    y,\n)\nX_train, X_test, y_train, y_test = tts(X_sel, y, test_size=0.3, random_state=0)\n',
      errors: [
        { line: 7, column: 5 },
        { line: 9, column: 12 },
        { line: 11, column: 9 },
      ],
      name: 'a chain of steps through reassigned variables, aliases, multi-line call',
    },
    {
      code: `${imports}from sklearn.preprocessing import MinMaxScaler\nmm = MinMaxScaler()\nmm.fit(df[["income", "debt"]])\nscaled = mm.transform(df[["income", "debt"]])\nframe = pd.DataFrame(scaled, columns=cols)\na_tr, a_te, b_tr, b_te = train_test_split(frame, y, random_state=0)\n`,
      errors: [{ line: 5, column: 1, message: '`MinMaxScaler` is fitted (`fit`)' }],
      name: 'fit, then transform, then a wrapper, then split',
    },
    {
      code: 'from imblearn.over_sampling import SMOTE\nfrom sklearn.model_selection import train_test_split\nX_res, y_res = SMOTE(random_state=0).fit_resample(X, y)\nX_tr, X_te, y_tr, y_te = train_test_split(X_res, y_res, random_state=0)\n',
      errors: [{ line: 3, column: 16, message: '`SMOTE`' }],
    },
    {
      code: 'from sklearn.feature_extraction.text import TfidfVectorizer\nfrom sklearn.model_selection import cross_val_score\nfrom sklearn.linear_model import LogisticRegression\nvec = TfidfVectorizer()\nX = vec.fit_transform(texts)\nscores = cross_val_score(LogisticRegression(), X, y, cv=5)\n',
      errors: [{ line: 5, column: 5 }],
      name: 'vectorizer before cross-validation',
    },
    {
      code: {
        cells: [
          '%matplotlib inline\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split',
          'scaler = StandardScaler()\nX = scaler.fit_transform(df[features])',
          '!nvidia-smi\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)',
        ],
      },
      errors: [{ cell: 1, line: 2, column: 5, message: '(in Cell 3, line 2)' }],
      name: 'notebook: fitted in one cell, split in a later one',
    },
    {
      code: {
        cells: [
          { source: '# Data', cellType: 'markdown' },
          { source: 'from sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split', executionCount: 1 },
          { source: 'X = StandardScaler().fit_transform(X)', executionCount: 2 },
          { source: '## Split', cellType: 'markdown' },
          { source: 'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)', executionCount: 3 },
        ],
      },
      // VS Code's numbering: two markdown cells come before the split's cell, the fifth cell.
      errors: [{ cell: 1, line: 1, column: 5, message: '(in Cell 5, line 1)' }],
      name: 'notebook with markdown cells: the split is named by its VS Code cell number',
    },
    {
      code: {
        cells: [
          'from sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split\nX = StandardScaler().fit_transform(X)\nparts = train_test_split(X, y)',
        ],
      },
      errors: [{ cell: 0, line: 3, message: '(on line 4 of this cell)' }],
      name: 'notebook: fitted and split in the same cell',
    },
    {
      code: `${imports}print "scaling"\nX = StandardScaler().fit_transform(X)\nsplits = train_test_split(X, y)\n`,
      errors: [{ line: 4 }],
      name: 'Python 2 file',
    },
    {
      code: `${imports}def prepare(df):\n    X = StandardScaler().fit_transform(df)\n    return train_test_split(X, df.y, random_state=0)\n`,
      errors: [{ line: 4, column: 9 }],
      name: 'inside one function',
    },
  ],
});
