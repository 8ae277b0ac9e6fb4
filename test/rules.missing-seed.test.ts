import rule from '../server/src/engine/rules/missing-seed';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, random_state=0)\n' },
    { code: 'from sklearn.linear_model import LogisticRegression\nLogisticRegression(max_iter=200)\n' },
    { code: 'from sklearn.tree import DecisionTreeClassifier\nDecisionTreeClassifier()\n' },
    { code: 'from sklearn.decomposition import PCA\nPCA(n_components=2)\n' },
    { code: 'from sklearn.model_selection import KFold\nKFold(n_splits=5)\n', name: 'KFold without shuffle is deterministic' },
    { code: 'import numpy as np\nfrom sklearn.model_selection import train_test_split\nnp.random.seed(0)\ntrain_test_split(X, y)\n', name: 'global numpy seed set earlier' },
    { code: 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, **split_args)\n', name: 'kwargs may carry the seed' },
    { code: 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, shuffle=False)\n' },
    { code: 'def train_test_split(X, y):\n    return X, y\ntrain_test_split(X, y)\n', name: 'a local function with the same name' },
    { code: 'import xgboost as xgb\nxgb.XGBClassifier(n_estimators=10)\n', name: 'XGBoost seeds itself by default' },
  ],
  invalid: [
    {
      code: 'from sklearn.model_selection import train_test_split as tts\nX_train, X_test = tts(X, test_size=0.2)\n',
      errors: [{ line: 2, column: 19, endLine: 2, endColumn: 40, message: '`train_test_split` without `random_state`', severity: 'warning', fix: 'safe' }],
      output: 'from sklearn.model_selection import train_test_split as tts\nX_train, X_test = tts(X, test_size=0.2, random_state=42)\n',
    },
    {
      code: 'import sklearn.ensemble as ens\nclf = ens.RandomForestClassifier(\n    n_estimators=100,\n)\n',
      errors: [{ line: 2, column: 7 }],
      output: 'import sklearn.ensemble as ens\nclf = ens.RandomForestClassifier(\n    n_estimators=100, random_state=42,\n)\n',
    },
    {
      code: 'from sklearn.cluster import KMeans\nKMeans()\n',
      errors: [{ line: 2 }],
      output: 'from sklearn.cluster import KMeans\nKMeans(random_state=42)\n',
    },
    {
      code: 'from sklearn.model_selection import StratifiedKFold\ncv = StratifiedKFold(5, shuffle=True)\n',
      config: { seed: 7 },
      errors: [{ line: 2, message: 'random_state=7' }],
      output: 'from sklearn.model_selection import StratifiedKFold\ncv = StratifiedKFold(5, shuffle=True, random_state=7)\n',
    },
    {
      code: 'from sklearn.linear_model import LogisticRegression\nLogisticRegression(solver="saga", random_state=None)\n',
      errors: [{ line: 2 }],
      output: 'from sklearn.linear_model import LogisticRegression\nLogisticRegression(solver="saga", random_state=42)\n',
    },
    {
      code: { cells: ['%matplotlib inline\nimport numpy as np\nfrom sklearn.model_selection import train_test_split', '!pip install scikit-learn\nsplit = train_test_split(X, y)', 'np.random.seed(1)'] },
      errors: [{ cell: 1, line: 2, column: 9 }],
      name: 'notebook: seed set only after the split, magics masked',
    },
    {
      code: 'import numpy as np\nfrom sklearn.model_selection import train_test_split\ntrain_test_split(X, y)\nnp.random.seed(0)\n',
      errors: [{ line: 3 }],
      name: 'seed set after the call does not count',
    },
    {
      code: 'from sklearn.model_selection import train_test_split\nprint "split"\ntrain_test_split(X, y)\n',
      errors: [{ line: 3 }],
      name: 'Python 2 file',
    },
    {
      code: 'from sklearn.cross_validation import train_test_split\ntrain_test_split(X, y)\n',
      errors: [{ line: 2 }],
      name: 'scikit-learn < 0.20 module names',
    },
  ],
});
