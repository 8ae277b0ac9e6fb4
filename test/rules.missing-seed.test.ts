import rule from '../server/src/engine/rules/missing-seed';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // justmarkham/scikit-learn-videos 8545c74, 05_model_evaluation.ipynb: primal L2 liblinear draws nothing
      code: 'from sklearn.linear_model import LogisticRegression\nlogreg = LogisticRegression(solver="liblinear")\nlogreg.fit(X, y)\n',
      name: 'liblinear with the default L2 penalty',
    },
    {
      // lucidrains/denoising-diffusion-pytorch faed4db, denoising_diffusion_pytorch/guided_diffusion.py: a library
      // module whose __main__ block samples and never trains.
      code: 'import torch\nfrom torch.utils.data import DataLoader\nclass Trainer:\n    def __init__(self, ds):\n        self.dl = DataLoader(ds, batch_size=16, shuffle=True, num_workers=4)\n    def train(self, model, opt):\n        for x in self.dl:\n            loss = model(x).mean()\n            loss.backward()\n            opt.step()\nclass Classifier(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\ndef sample(model):\n    return model(torch.zeros(1))\nif __name__ == "__main__":\n    clf = Classifier()\n    print(sample(clf))\n',
      name: 'a module of helpers whose __main__ block does not reach the training',
    },
    {
      // amueller/introduction_to_ml_with_python ea60cf6, mglearn/plot_kmeans.py: the initial centres are given.
      code: 'from sklearn.cluster import KMeans\ninit = X[:3, :]\nkm = KMeans(n_clusters=3, init=init, max_iter=1, n_init=1).fit(X)\nKMeans(n_clusters=3, init=X[:3, :], n_init=1).fit(X)\n',
      name: 'KMeans given its initial centres draws nothing',
    },
    {
      code: 'import torch\n\ndef train_epoch(model, loader, opt):\n    for xb, yb in loader:\n        opt.zero_grad()\n        loss = model(xb).sub(yb).pow(2).mean()\n        loss.backward()\n        opt.step()\n',
      name: 'a module of training helpers: the entry point that imports it seeds',
    },
    {
      code: 'import torch\ntorch.manual_seed(0)\nfor xb, yb in loader:\n    loss = loss_fn(model(xb), yb)\n    loss.backward()\n    opt.step()\n',
      name: 'PyTorch training after torch.manual_seed',
    },
    {
      code: 'import pytorch_lightning as pl\npl.seed_everything(42, workers=True)\ntrainer = pl.Trainer(max_epochs=3)\ntrainer.fit(model, dm)\n',
      name: 'Lightning seed_everything',
    },
    {
      code: 'import tensorflow as tf\ntf.keras.utils.set_random_seed(1)\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.fit(X, y, epochs=3)\n',
      name: 'Keras set_random_seed',
    },
    {
      code: 'from transformers import Trainer, TrainingArguments\nargs = TrainingArguments("out")\nTrainer(model=m, args=args, train_dataset=ds).train()\n',
      name: 'the Hugging Face Trainer seeds from TrainingArguments.seed (42 by default)',
    },
    { code: 'import torch\nfrom utils import set_seed\nset_seed(cfg.seed)\nloss.backward()\noptimizer.step()\n', name: 'a project helper that seeds' },
    {
      code: 'import torch\nfrom torch.utils.data import DataLoader\ntorch.manual_seed(0)\ndl = DataLoader(ds, batch_size=32, shuffle=True, num_workers=4)\n',
      name: 'DataLoader after a global torch seed',
    },
    {
      code: 'import torch\nfrom torch.utils.data import DataLoader\ng = torch.Generator()\ng.manual_seed(0)\ndl = DataLoader(ds, shuffle=True, num_workers=4, generator=g, worker_init_fn=seed_worker)\nval = DataLoader(vs, shuffle=False, num_workers=4)\none = DataLoader(ds, shuffle=True)\n',
      name: 'DataLoader with a generator, without shuffle, or in the main process',
    },
    { code: 'import torch\nmodel.eval()\nwith torch.no_grad():\n    out = model(x)\n', name: 'inference only' },
    { code: 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, random_state=0)\n' },
    { code: 'from sklearn.linear_model import LogisticRegression\nLogisticRegression(max_iter=200)\n' },
    { code: 'from sklearn.tree import DecisionTreeClassifier\nDecisionTreeClassifier(random_state=0)\n' },
    { code: 'from sklearn.decomposition import PCA\nPCA(n_components=2)\n' },
    { code: 'from sklearn.model_selection import KFold\nKFold(n_splits=5)\n', name: 'KFold without shuffle is deterministic' },
    {
      code: 'import numpy as np\nfrom sklearn.model_selection import train_test_split\nnp.random.seed(0)\ntrain_test_split(X, y)\n',
      name: 'global numpy seed set earlier',
    },
    { code: 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, **split_args)\n', name: 'kwargs may carry the seed' },
    { code: 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, shuffle=False)\n' },
    {
      code: 'from sklearn.model_selection import KFold, train_test_split\nSHUFFLE = False\nX_tr, X_te = train_test_split(X, shuffle=SHUFFLE)\ncv = KFold(5, shuffle=SHUFFLE)\n',
      name: 'shuffle=False through a constant (a time-ordered split set once at the top of a notebook)',
    },
    { code: 'def train_test_split(X, y):\n    return X, y\ntrain_test_split(X, y)\n', name: 'a local function with the same name' },
    { code: 'import xgboost as xgb\nxgb.XGBClassifier(n_estimators=10)\n', name: 'XGBoost seeds itself by default' },
  ],
  invalid: [
    {
      code: 'from sklearn.linear_model import LogisticRegression\nLogisticRegression(solver="liblinear", penalty="l1").fit(X, y)\nLogisticRegression(solver="liblinear", dual=True).fit(X, y)\nLogisticRegression(solver="liblinear", penalty=p).fit(X, y)\n',
      errors: [{ line: 2 }, { line: 3 }, { line: 4 }],
      name: 'liblinear with an L1 penalty, the dual problem, or a penalty the rule cannot read',
    },
    {
      code: 'import torch\nfrom torch.utils.data import DataLoader\nclass Trainer:\n    def __init__(self, ds):\n        self.dl = DataLoader(ds, batch_size=16, shuffle=True, num_workers=4)\n    def fit(self, model, opt):\n        for x in self.dl:\n            loss = model(x).mean()\n            loss.backward()\n            opt.step()\ndef main():\n    Trainer(load()).fit(build(), make_opt())\nif __name__ == "__main__":\n    main()\n',
      errors: [
        { line: 5, message: 'DataLoader' },
        { line: 9, message: 'PyTorch training' },
      ],
      name: 'a __main__ block that reaches the training through main() and the Trainer class',
    },
    {
      // codebasics/py@801ee0ee4d34 ML/9_decision_tree exercise: trained twice unseeded, accuracy 0.798883 then 0.787709
      // (scikit-learn permutes the features at every split, "even if splitter is set to 'best'").
      code: 'from sklearn import tree\nmodel = tree.DecisionTreeClassifier()\n',
      errors: [{ line: 2, message: '`DecisionTreeClassifier` without `random_state`' }],
    },
    {
      code: 'from sklearn.model_selection import KFold\nSHUFFLE = True\ncv = KFold(5, shuffle=SHUFFLE)\n',
      errors: [{ line: 3, column: 6 }],
      name: 'shuffle=True through a constant',
    },
    {
      code: 'import argparse\nimport torch\n\ndef main():\n    parser = argparse.ArgumentParser()\n    parser.add_argument("--seed", type=int, default=1)\n    args = parser.parse_args()\n    for xb, yb in loader:\n        loss = model(xb).sub(yb).pow(2).mean()\n        loss.backward()\n\nif __name__ == "__main__":\n    main()\n',
      errors: [{ line: 10, column: 9, message: 'torch.manual_seed' }],
      name: 'a --seed option that is never used to seed (pytorch/examples mnist_forward_forward)',
    },
    {
      code: 'import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(4, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor epoch in range(10):\n    for xb, yb in loader:\n        opt.zero_grad()\n        loss = nn.functional.mse_loss(model(xb), yb)\n        loss.backward()\n        opt.step()\n',
      errors: [{ line: 10, column: 9, message: 'torch.manual_seed', fix: null }],
      name: 'PyTorch training loop with no seed: once, at the first training call',
    },
    {
      code: 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10, activation="relu"), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(X_train, y_train, epochs=5)\nmodel.fit(X_more, y_more, epochs=1)\n',
      errors: [{ line: 4, column: 1, message: 'keras.utils.set_random_seed' }],
      name: 'Keras fit with no seed',
    },
    {
      code: 'import lightning as L\ntrainer = L.Trainer(max_epochs=5)\ntrainer.fit(model, datamodule=dm)\n',
      errors: [{ line: 3, column: 1, message: 'seed_everything' }],
      name: 'Lightning fit with no seed_everything',
    },
    {
      code: 'from torch.utils.data import DataLoader\ntrain_dl = DataLoader(train_ds, batch_size=64, shuffle=True, num_workers=8)\n',
      errors: [{ line: 2, column: 12, message: 'worker_init_fn' }],
      name: 'DataLoader shuffling in workers with no generator',
    },
    {
      code: 'from sklearn.model_selection import train_test_split as tts\nX_train, X_test = tts(X, test_size=0.2)\n',
      errors: [{ line: 2, column: 19, endLine: 2, endColumn: 40, message: '`train_test_split` without `random_state`', severity: 'warning', fix: 'safe' }],
      output: 'from sklearn.model_selection import train_test_split as tts\nX_train, X_test = tts(X, test_size=0.2, random_state=42)\n',
    },
    {
      code: 'import sklearn.ensemble as ens\nclf = ens.RandomForestClassifier(\n    n_estimators=100,\n)\n',
      errors: [{ line: 2, column: 7 }],
      output: 'import sklearn.ensemble as ens\nclf = ens.RandomForestClassifier(\n    n_estimators=100,\n    random_state=42,\n)\n',
    },
    {
      code: 'from sklearn.cluster import KMeans\nKMeans()\n',
      errors: [{ line: 2 }],
      output: 'from sklearn.cluster import KMeans\nKMeans(random_state=42)\n',
    },
    {
      code: 'from sklearn.cluster import KMeans\nKMeans(n_clusters=3, init="random")\n',
      errors: [{ line: 2 }],
      output: 'from sklearn.cluster import KMeans\nKMeans(n_clusters=3, init="random", random_state=42)\n',
      name: 'KMeans with a named initialisation still draws it',
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
      code: {
        cells: [
          '%matplotlib inline\nimport numpy as np\nfrom sklearn.model_selection import train_test_split',
          '!pip install scikit-learn\nsplit = train_test_split(X, y)',
          'np.random.seed(1)',
        ],
      },
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
