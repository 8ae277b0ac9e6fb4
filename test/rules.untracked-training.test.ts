import rule from '../server/src/engine/rules/untracked-training';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'from feature_engine.imputation import MeanMedianImputer\nfrom sklearn.manifold import TSNE\nimputer = MeanMedianImputer()\nimputer.fit(X_train)\nTSNE(n_components=2).fit(X)\n',
      name: 'fitted transformations (feature_engine, a manifold embedding) are not training',
    },
    {
      code: 'from imblearn.over_sampling import SMOTE\nfrom sklearn.compose import ColumnTransformer\nct = ColumnTransformer([("num", num, cols)])\nct.fit(X_train)\nsm = SMOTE().fit(X_train, y_train)\n',
      name: 'a column transformer and a resampler',
    },
    {
      code: 'from ray import tune\nfrom ray.air.integrations.mlflow import MLflowLoggerCallback\ntuner = tune.Tuner(train_fn, run_config=RunConfig(callbacks=[MLflowLoggerCallback(experiment_name="x")]))\nmodel.fit(X, y)\n',
      name: "Ray's MLflow callback",
    },
    {
      code: 'from pytorch_lightning.loggers import WandbLogger\nimport pytorch_lightning as pl\nlogger = WandbLogger(project="p")\ntrainer = pl.Trainer(logger=logger)\ntrainer.fit(model)\n',
      name: 'a Lightning logger',
    },
    {
      code: 'from transformers import Trainer, TrainingArguments\ntraining_args = TrainingArguments("out", report_to="tensorboard")\ntrainer = Trainer(model, training_args)\ntrainer.hyperparameter_search(n_trials=10)\n',
      name: 'hyperparameter_search with report_to',
    },
    { code: 'import mlflow\nfrom sklearn.linear_model import Ridge\nmlflow.autolog()\nRidge().fit(X, y)\n' },
    { code: 'import wandb\nmodel.fit(X, y)\n' },
    {
      code: 'from torch.utils.tensorboard import SummaryWriter\nimport torch\nwriter = SummaryWriter()\nfor x, y in loader:\n    crit(model(x), y).backward()\n    opt.step()\n',
    },
    {
      code: 'from tensorflow import keras\ncb = keras.callbacks.TensorBoard(log_dir="logs")\nmodel.fit(X, y, callbacks=[cb])\n',
      name: 'Keras TensorBoard callback',
    },
    {
      code: 'from transformers import Trainer, TrainingArguments\nargs = TrainingArguments(output_dir="out", report_to=["wandb"])\nTrainer(model=m, args=args).train()\n',
      name: 'report_to names a tracker',
    },
    { code: 'import lightning as L\ntrainer = L.Trainer(max_epochs=3)\ntrainer.fit(model, dm)\n', name: 'Lightning keeps its default logger' },
    {
      code: 'from sklearn.preprocessing import StandardScaler, OneHotEncoder\nfrom sklearn.decomposition import PCA\nscaler = StandardScaler()\nscaler.fit(X)\nenc = OneHotEncoder().fit(X[["c"]])\nZ = PCA(2).fit_transform(X)\n',
      name: 'fitting preprocessing is not training',
    },
    { code: 'X_scaled = my_scaler.fit(X)\nvec.fit_transform(texts)\nX_res, y_res = smote.fit_resample(X, y)\n', name: 'preprocessing by name and method' },
    { code: 'from scipy import stats\nparams = stats.norm.fit(data)\nimport statsmodels.api as sm\nres = sm.OLS(y, X).fit()\n', name: 'statistical fits' },
    { code: 'import torch\nmodel.train()\nmodel.train(False)\n', name: 'nn.Module.train() switches mode' },
    { code: 'estimator.fit()\n', name: 'fit() without data on an unknown object' },
  ],
  invalid: [
    {
      code: 'from imblearn.pipeline import Pipeline\nfrom imblearn.over_sampling import SMOTE\npipe = Pipeline([("smote", SMOTE()), ("clf", clf)])\npipe.fit(X_train, y_train)\n',
      errors: [{ line: 4, column: 1 }],
      name: 'a pipeline ends in a model: fitting it is training, even from imblearn',
    },
    {
      code: 'from transformers import Trainer, TrainingArguments\ntraining_args = TrainingArguments("out", report_to="none")\ntrainer = Trainer(model_init=init, args=training_args)\nbest = trainer.hyperparameter_search(direction="maximize", n_trials=10)\n',
      errors: [{ line: 4, column: 8 }],
      name: 'Trainer.hyperparameter_search is training',
    },
    {
      code: 'from sklearn.ensemble import RandomForestClassifier\nclf = RandomForestClassifier(random_state=0)\nclf.fit(X_train, y_train)\nbaseline.fit(X_train, y_train)\n',
      errors: [{ line: 3, column: 1, message: 'no experiment tracking' }],
      output: null,
    },
    {
      code: 'from sklearn.preprocessing import StandardScaler\nfrom sklearn.cluster import KMeans as KM\nX = StandardScaler().fit_transform(X)\nkm = KM(6, random_state=0)\nlabels = km.fit_predict(X)\n',
      errors: [{ line: 5, column: 10 }],
      name: 'aliased clusterer after a scaler',
    },
    {
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nhistory = model.fit(\n    X,\n    y,\n    epochs=3,\n)\n',
      errors: [{ line: 3, column: 11 }],
      name: 'Keras fit over several lines',
    },
    {
      code: 'import torch\nfor epoch in range(3):\n    model.train()\n    for x, y in loader:\n        opt.zero_grad()\n        loss = crit(model(x), y)\n        loss.backward()\n        opt.step()\n',
      errors: [{ line: 7, column: 9 }],
      name: 'PyTorch loop: reported at backward(), not at model.train()',
    },
    {
      code: 'from transformers import Trainer, TrainingArguments\nargs = TrainingArguments(output_dir="o", report_to="none")\ntrainer = Trainer(model=m, args=args)\ntrainer.train()\n',
      errors: [{ line: 4 }],
      name: 'HF trainer with report_to="none"',
    },
    {
      code: 'import xgboost as xgb\nbooster = xgb.train(params, dtrain, num_boost_round=100)\n',
      errors: [{ line: 2, column: 11 }],
    },
    {
      code: 'from ultralytics import YOLO\nYOLO("yolov8n.pt").train(data="coco.yaml", epochs=3)\n',
      errors: [{ line: 2 }],
      name: 'train() with data arguments',
    },
    {
      code: 'from sklearn.pipeline import make_pipeline\npipe = make_pipeline(scaler, clf)\npipe.fit(X, y)\n',
      errors: [{ line: 3 }],
      name: 'a pipeline',
    },
    {
      code: {
        cells: [
          '%matplotlib inline\nfrom sklearn.linear_model import LinearRegression',
          'lin = LinearRegression()\nlin.fit(X_train, y_train)',
          'lin.fit(X, y)',
        ],
      },
      errors: [{ cell: 1, line: 2, column: 1 }],
      name: 'notebook: once, at the first training call',
    },
    {
      code: 'from sklearn.ensemble import RandomForestRegressor\nprint "training"\nmodel = RandomForestRegressor()\nmodel.fit(X_train, y_train)\n',
      errors: [{ line: 4 }],
      name: 'Python 2 file',
    },
  ],
});
