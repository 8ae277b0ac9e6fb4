import rule from '../server/src/engine/rules/untracked-training';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // huggingface/trl f2cd577, trl/experimental/xpo/xpo_trainer.py: the Trainer's own loop calls training_step.
      code: 'import torch\nfrom transformers import Trainer\n\n\nclass XPOTrainer(Trainer):\n    def training_step(self, model, inputs, num_items_in_batch=None):\n        loss = self.compute_loss(model, inputs)\n        self.accelerator.backward(loss)\n        return loss.detach()\n',
      name: "a Trainer subclass's training_step: the framework's loop runs it",
    },
    {
      // huggingface/trl f2cd577, trl/experimental/a2po/a2po_trainer.py
      code: 'from transformers import Trainer\n\n\nclass A2POTrainer(Trainer):\n    def train(self, *args, **kwargs):\n        self._estimate_optimal_values()\n        return super().train(*args, **kwargs)\n',
      name: "super().train() in a Trainer subclass's own train: the caller trains",
    },
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
      code: 'import trackio\nfrom trl import SFTConfig, SFTTrainer\ntraining_args = SFTConfig(output_dir="out")\ntrackio.init(project="chartqa", config=training_args)\ntrainer = SFTTrainer(model=model, args=training_args, train_dataset=train)\ntrainer.train()\n',
      name: "Hugging Face's Trackio records the run (huggingface/cookbook)",
    },
    {
      code: 'from typing import Annotated\nimport xgboost as xgb\nfrom zenml import step\n\n@step\ndef train(X_train, y_train, n_estimators: int = 100) -> Annotated[xgb.XGBClassifier, "model"]:\n    model = xgb.XGBClassifier(n_estimators=n_estimators, random_state=42)\n    model.fit(X_train, y_train)\n    return model\n',
      name: 'a ZenML step: its parameters and its returned model are recorded per run',
    },
    {
      code: 'from metaflow import FlowSpec, Parameter, step\nfrom sklearn.ensemble import RandomForestClassifier\n\nclass TrainFlow(FlowSpec):\n    depth = Parameter("depth", default=5)\n\n    @step\n    def start(self):\n        self.model = RandomForestClassifier(max_depth=self.depth, random_state=0).fit(self.X, self.y)\n        self.next(self.end)\n',
      name: 'a Metaflow flow: parameters and self. attributes are recorded per run',
    },
    {
      code: 'import faiss\nimport numpy as np\n\nquantizer = faiss.IndexFlatL2(384)\nindex = faiss.IndexIVFFlat(quantizer, 384, 100)\nindex.train(np.random.random((1000, 384)).astype("float32"))\nindex.add(vectors)\n',
      name: "a FAISS index's train(vectors) builds its quantizer (Shubhamsaboo/awesome-llm-apps, beifong)",
    },
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
    {
      code: 'import pytest\nimport torch\nfrom lightning.pytorch import Trainer\n\n\n@pytest.mark.parametrize("max_epochs", [1, 2])\ndef test_val_check_interval(tmp_path, max_epochs):\n    trainer = Trainer(default_root_dir=tmp_path, max_epochs=max_epochs, logger=False)\n    trainer.fit(model)\n',
      name: 'a pytest module: a unit test trains to check the code, there is no run to record',
    },
    {
      code: 'import torch\nfrom lightning.fabric import Fabric\n\n\ndef _test_amp(fabric, expected_dtype):\n    loss = model(batch).sum()\n    fabric.backward(loss)\n    optimizer.step()\n\n\ndef test_amp_bf16():\n    _test_amp(Fabric(precision="bf16-mixed"), torch.bfloat16)\n',
      filename: 'tests/tests_fabric/plugins/precision/test_amp_integration.py',
      name: 'a helper of a test module (named as pytest collects it), called by a test_ function',
    },
    {
      code: 'import unittest\nfrom sklearn.linear_model import Ridge\n\n\nclass TestRidge(unittest.TestCase):\n    def test_fit(self):\n        Ridge().fit([[0], [1]], [0, 1])\n',
      name: 'a unittest test case',
    },
    {
      code: 'import torch\nfrom lightning.fabric import Fabric\n\ndef run_one_step(fabric):\n    fabric.backward(model(batch).sum())\n',
      filename: 'tests/strategies/fsdp_test.py',
      name: 'a *_test.py module',
    },
    {
      code: 'import torch\nfrom torch import Tensor\n\n\nclass Precision:\n    def backward(self, tensor: Tensor, model, optimizer, *args, **kwargs) -> None:\n        model.backward(tensor, *args, **kwargs)\n',
      name: "a framework's backward hook passes the call on: the training loop is its caller's",
    },
    {
      code: 'import torch\n\n\nclass LitModule:\n    def manual_backward(self, loss, *args, **kwargs):\n        self._fabric.backward(loss, *args, **kwargs)\n',
      name: 'manual_backward forwarding to Fabric',
    },
    {
      code: 'import torch\n\n\nclass MixedPrecision:\n    def optimizer_step(self, optimizer, model, closure, **kwargs):\n        closure()\n        return self.scaler.step(optimizer, **kwargs)\n',
      name: "a precision plugin's optimizer_step hook",
    },
    {
      code: 'import torch\n\n\ndef to_onnx(self, file_path):\n    mode = self.training\n    torch.onnx.export(self, self.example_input_array, file_path)\n    self.train(mode)\n\n\ndef restore(model, was_training):\n    model.train(was_training)\n    model.train(model.training)\n',
      name: 'train(mode) puts a saved mode flag back: not a training call',
    },
    {
      code: 'import torch\nfrom lightning.pytorch.cli import LightningCLI\n\n\ndef cli_main():\n    cli = LightningCLI(LitClassifier, MyDataModule, seed_everything_default=1234, save_config_kwargs={"overwrite": True}, run=False)\n    cli.trainer.fit(cli.model, datamodule=cli.datamodule)\n',
      name: 'LightningCLI builds its Trainer with the default logger, which records each run',
    },
  ],
  invalid: [
    {
      code: 'import torch\n\n\ndef step(model, batch, optimizer):\n    loss = model(batch).mean()\n    loss.backward()\n    optimizer.step()\n\n\ndef training_step_helper():\n    pass\n',
      errors: [{ line: 6 }],
      name: "a training loop in a function of its own name is still the file's",
    },
    {
      code: 'from transformers import Trainer\ntrainer = Trainer(model=model, args=args, train_dataset=ds)\ntrainer.train()\n',
      errors: [{ line: 3 }],
      name: 'a trainer built and run in the file',
    },
    {
      code: {
        cells: [
          'import numpy as np\nfrom zlib import crc32\n\ndef test_set_check(identifier, test_ratio):\n    return crc32(np.int64(identifier)) & 0xffffffff < test_ratio * 2**32',
          'from sklearn.linear_model import LinearRegression\nlin_reg = LinearRegression()\nlin_reg.fit(housing_prepared, housing_labels)',
        ],
      },
      errors: [{ cell: 1, line: 3 }],
      name: 'a notebook that defines a `test_set_check` helper is not a test module',
    },
    {
      code: 'import torch\n\n\ndef test_epoch(model, loader):\n    model.eval()\n\n\ndef train_epoch(model, loader, optimizer):\n    for data, target in loader:\n        optimizer.zero_grad()\n        criterion(model(data), target).backward()\n        optimizer.step()\n',
      filename: '/home/alice/tests/mnist_hogwild/train.py',
      errors: [{ line: 11 }],
      name: "a training script named train.py: its folders (an absolute path's are the user's) and its `test_epoch` do not make it a test",
    },
    {
      code: 'import torch\n\n\ndef test(model, device, test_loader):\n    model.eval()\n\n\ndef train(model, loader, optimizer):\n    for data, target in loader:\n        optimizer.zero_grad()\n        loss = criterion(model(data), target)\n        loss.backward()\n        optimizer.step()\n',
      errors: [{ line: 12, column: 9, message: 'no experiment tracking' }],
      name: "a training script's `def test(model, ...)` evaluation function does not make it a test module",
    },
    {
      code: 'import torch\n\n\ndef train_step(model, batch, optimizer):\n    def backward_pass(loss):\n        loss.backward()\n    backward_pass(model(batch).sum())\n    optimizer.step()\n',
      errors: [{ line: 6, column: 9 }],
      name: 'a function merely named like a backward pass still runs the training step',
    },
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
