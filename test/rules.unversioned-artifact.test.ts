import rule from '../server/src/engine/rules/unversioned-artifact';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // huggingface/trl f2cd577, examples/scripts/sft_tiny_aya_tool_calling.py
      code: 'from trl import SFTTrainer\n\noutput_dir = "tiny-aya-tool-calling"\ntrainer = SFTTrainer(model=model, args=args, train_dataset=ds)\ntrainer.train()\ntrainer.save_model(output_dir)\ntrainer.push_to_hub(dataset_name="me/tools")\n',
      name: 'a trainer that saves and pushes to the Hub (each push a commit)',
    },
    {
      // DataTalksClub/mlops-zoomcamp@86e4288, cohorts/2023/02-experiment-tracking/homework-wandb/sweep.py
      code: 'import pickle\nimport wandb\nfrom sklearn.ensemble import RandomForestRegressor\n\ndef run_train():\n    rf = RandomForestRegressor(max_depth=10, random_state=0)\n    rf.fit(X_train, y_train)\n    with open("regressor.pkl", "wb") as f:\n        pickle.dump(rf, f)\n    artifact = wandb.Artifact(f"{wandb.run.id}-model", type="model")\n    artifact.add_file("regressor.pkl")\n    wandb.log_artifact(artifact)\n',
      name: 'a fixed local file then logged as a W&B artifact: the tracker versions it by run',
    },
    {
      code: 'import joblib\nimport mlflow\nMODEL_PATH = "model.joblib"\nwith mlflow.start_run():\n    joblib.dump(clf, MODEL_PATH)\n    mlflow.log_artifact(MODEL_PATH)\n',
      name: 'a fixed local file then passed to mlflow.log_artifact',
    },
    {
      code: {
        cells: [
          'from transformers import T5ForConditionalGeneration\nmodel = T5ForConditionalGeneration.from_pretrained("t5-small")\ntrainer.train()\nmodel_path = "./t5_tag_generator/final"\nmodel.save_pretrained(model_path)\n',
          'from huggingface_hub import HfApi\napi = HfApi()\napi.upload_folder(folder_path=model_path, repo_id="zamal/github-tag-generator", repo_type="model")\n',
        ],
      },
      name: 'a fixed local folder then uploaded to the Hugging Face Hub, which keeps each upload as a commit (huggingface/cookbook)',
    },
    {
      // karpathy/nanoGPT 3adf61e, train.py: out_dir is set per experiment by configurator.py.
      code: "import os\nimport torch\nout_dir = 'out'\nexec(open('configurator.py').read())\ntorch.save(checkpoint, os.path.join(out_dir, 'ckpt.pt'))\n",
      name: 'a folder an exec(...) may rebind from the command line',
    },
    {
      code: 'import os, torch\nMODEL_DIR = "models"\nmodel_version = "3"\ntorch.save(model.state_dict(), os.path.join(MODEL_DIR, model_version, "model.pt"))\n',
      name: 'a version held in a variable used in the path',
    },
    { code: 'import joblib\njoblib.dump(clf, f"models/{cfg.version}/clf.joblib")\n', name: 'a version attribute in an f-string' },
    { code: 'import joblib\njoblib.dump(pipe, f"models/churn-{run.id}.joblib")\n' },
    { code: 'import torch\ntorch.save(model.state_dict(), os.path.join(CKPT_DIR, f"mlp-{RUN_ID}-epoch{epoch:03d}.pt"))\n' },
    { code: 'import joblib\njoblib.dump(list(X.columns), "feature_columns.joblib")\njoblib.dump({"threshold": 0.4}, "config.joblib")\n', name: 'plain data' },
    {
      code: 'from transformers import AutoTokenizer\ntokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")\ntokenizer.save_pretrained("models/tok")\n',
      name: 'a tokenizer is not a model',
    },
    { code: 'import numpy as np\nnp.save("preds.npy", model.predict(X))\n', name: 'numpy arrays' },
    { code: 'import joblib\ndef save(model, path):\n    joblib.dump(model, path)\n', name: 'destination chosen by the caller' },
    { code: 'import joblib, os\njoblib.dump(clf, os.environ.get("MODEL_PATH", "model.joblib"))\n', name: 'destination from the environment' },
    { code: 'import joblib\njoblib.dump(clf, "models/clf_v3.joblib")\njoblib.dump(clf, "models/clf-2024-05-01.joblib")\n', name: 'literal already versioned' },
    {
      code: 'import joblib\njoblib.dump(clf, "models/clf-{}.joblib".format(stamp))\njoblib.dump(clf, "models/clf-%s.joblib" % stamp)\n',
      name: 'format fields',
    },
    {
      code: 'from sklearn.preprocessing import StandardScaler\nimport joblib\nscaler = StandardScaler().fit(X)\njoblib.dump(scaler, "scaler.joblib")\n',
      name: 'a fitted scaler is not a trained model',
    },
    { code: 'from openpyxl import Workbook\nwb = Workbook()\nwb.save("report.xlsx")\nimg.save("out.png")\n', name: 'save() on things that are not models' },
    {
      code: 'from pathlib import Path\nfrom typing import Annotated\nfrom transformers import Trainer\nfrom zenml import ArtifactConfig, step\n\n\n@step\ndef finetune(model, args, data) -> Annotated[Path, ArtifactConfig(name="ft_model_dir", is_model_artifact=True)]:\n    ft_model_dir = Path("model_dir")\n    trainer = Trainer(model=model, args=args, train_dataset=data)\n    trainer.train()\n    trainer.save_model(ft_model_dir)\n    return ft_model_dir\n',
      name: 'a folder a ZenML step returns: ZenML versions the step output (zenml-io/zenml-projects, gamesense)',
    },
  ],
  invalid: [
    {
      code: 'from trl import SFTTrainer\n\ntrainer = SFTTrainer(model=model, args=args, train_dataset=ds)\ntrainer.train()\ntrainer.save_model("final-model")\nother.push_to_hub("me/other")\n',
      errors: [{ line: 5 }],
      name: 'a push of another object does not version this save',
    },
    {
      code: 'import joblib\nfrom huggingface_hub import HfApi\njoblib.dump(clf, "model.joblib")\nHfApi().upload_folder(folder_path="reports", repo_id="me/reports")\n',
      errors: [{ line: 3 }],
      output: null,
      name: 'another folder uploaded to the Hub: the model file stays unversioned',
    },
    {
      code: 'from unsloth import FastLanguageModel\n\nmodel, tokenizer = FastLanguageModel.from_pretrained(model_name="unsloth/Llama-3.2-3B-Instruct")\nmodel = FastLanguageModel.get_peft_model(model, r=16)\ntrainer.train()\nmodel.save_pretrained("finetuned_model")\ntokenizer.save_pretrained("finetuned_model")\n',
      errors: [{ line: 6, message: 'fixed name `"finetuned_model"`' }],
      name: 'an unsloth model saved to a fixed name; its tokenizer is not a model (Shubhamsaboo/awesome-llm-apps)',
    },
    {
      code: 'import joblib\nfrom zenml import step\n\n\n@step(enable_cache=False)\ndef train(X, y, model):\n    model.fit(X, y)\n    path = "model.joblib"\n    joblib.dump(model, path)\n    return model.score(X, y)\n',
      errors: [{ line: 9, message: 'fixed name `"model.joblib"`' }],
      name: 'a ZenML step that saves to a fixed name and returns something else',
    },
    {
      code: 'import joblib\n\n\ndef train(X, y, model):\n    model.fit(X, y)\n    path = "model.joblib"\n    joblib.dump(model, path)\n    return path\n',
      errors: [{ line: 7, message: 'fixed name `"model.joblib"`' }],
      name: 'a plain function returning the fixed name',
    },
    {
      code: 'import pickle\nimport wandb\nwith open("regressor.pkl", "wb") as f:\n    pickle.dump(model, f)\nwandb.log({"rmse": rmse})\n',
      errors: [{ line: 4, message: 'fixed name `"regressor.pkl"`' }],
      name: 'a file handle is shown as its path; logging metrics to a tracker does not version the file',
    },
    {
      code: 'from safetensors.torch import save_file\nsave_file(model.state_dict(), "classifier.safetensors")\n',
      errors: [{ line: 2, column: 1, message: 'fixed name `"classifier.safetensors"`' }],
      name: 'safetensors, a saver from the shared knowledge',
    },
    {
      code: 'import joblib\nfrom sklearn.ensemble import RandomForestClassifier\nclf = RandomForestClassifier().fit(X, y)\njoblib.dump(clf, "loan_rf.joblib")\n',
      errors: [{ line: 4, column: 1, message: 'fixed name `"loan_rf.joblib"`' }],
      output: null,
    },
    {
      code: 'import torch\ntorch.save(model.state_dict(), "mnist_cnn.pt")\ntorch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, "ckpt.pt")\ntorch.save(opt.state_dict(), "opt.pt")\n',
      errors: [{ line: 2 }, { line: 3 }],
      name: 'state dicts and checkpoint dicts, not the optimizer alone',
    },
    {
      code: 'import cPickle\ncPickle.dump(model, open("pricing_rf.pkl", "wb"), 2)\n',
      errors: [{ line: 2, message: 'cPickle.dump' }],
      name: 'Python 2 cPickle through open()',
    },
    {
      code: 'import pickle as pkl\nMODEL_FILE = "models/model.pkl"\nwith open(MODEL_FILE, "wb") as fh:\n    pkl.dump(best_model, fh)\n',
      errors: [{ line: 4, column: 5 }],
      name: 'through a constant and a with-block handle',
    },
    {
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([])\nmodel.save("demand_model.keras")\ntf.keras.models.save_model(model, "exports/demand")\n',
      errors: [{ line: 3 }, { line: 4 }],
    },
    {
      code: 'from transformers import AutoModelForSequenceClassification as M\nmodel = M.from_pretrained("bert")\nmodel.save_pretrained(\n    "models/ticket-sentiment",\n)\n',
      errors: [{ line: 3 }],
      name: 'aliased import, multi-line call',
    },
    {
      code: 'import os\nimport joblib\nOUT = "models"\njoblib.dump(pipe, os.path.join(OUT, "pipe.joblib"))\njoblib.dump(pipe, f"{OUT}/pipe.joblib")\n',
      errors: [{ line: 4 }, { line: 5 }],
      name: 'joins and f-strings made only of constants',
    },
    {
      code: 'import xgboost as xgb\nbst = xgb.train(params, dtrain)\nbst.save_model("xgb.json")\n',
      errors: [{ line: 3 }],
    },
    {
      code: { cells: ['!pip list\nfrom transformers import Trainer', 'trainer = Trainer(model=m)\ntrainer.train()', 'trainer.save_model("out/model")'] },
      errors: [{ cell: 2, line: 1, column: 1 }],
      name: 'notebook trainer',
    },
  ],
});
