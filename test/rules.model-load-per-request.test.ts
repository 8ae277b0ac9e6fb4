import rule from '../server/src/engine/rules/model-load-per-request';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'import joblib\nfrom fastapi import FastAPI\napp = FastAPI()\nmodel = joblib.load("m.joblib")\n@app.post("/predict")\ndef predict(x: dict):\n    return model.predict([x])\n',
    },
    {
      code: 'import joblib\nfrom fastapi import FastAPI\napp = FastAPI()\n_model = None\ndef get_model():\n    global _model\n    if _model is None:\n        _model = joblib.load("m.joblib")\n    return _model\n@app.post("/predict")\ndef predict(x: dict):\n    return get_model().predict([x])\n',
      name: 'lazy initialisation guard',
    },
    {
      code: 'import functools, joblib\nfrom fastapi import FastAPI, Depends\napp = FastAPI()\n@functools.lru_cache\ndef get_model():\n    return joblib.load("m.joblib")\n@app.post("/predict")\ndef predict(x: dict, model=Depends(get_model)):\n    return model.predict([x])\n',
      name: 'cached dependency',
    },
    {
      // huggingface/cookbook's mlflow_ray_serve notebook: Ray Serve keeps the models `get_model` returned per replica and loads only on a miss.
      code: 'import mlflow\nimport pandas as pd\nfrom ray import serve\nfrom fastapi import FastAPI\napp = FastAPI()\n@serve.deployment\n@serve.ingress(app)\nclass Translator:\n    @serve.multiplexed(max_num_models_per_replica=2)\n    async def get_model(self, version: str):\n        return mlflow.pyfunc.load_model(f"models:/translator/{version}")\n    @app.post("/serve")\n    async def serve(self, text: str):\n        model = await self.get_model(serve.get_multiplexed_model_id())\n        return model.predict(pd.DataFrame({"prompt": [text]}))\n',
      name: 'a Ray Serve multiplexed loader (a per-replica model cache)',
    },
    {
      code: 'from fastapi import FastAPI\nfrom transformers import AutoModel\napp = FastAPI()\n@app.on_event("startup")\ndef load():\n    app.state.model = AutoModel.from_pretrained("bert")\n',
      name: 'startup hook',
    },
    {
      code: 'import joblib\ndef predict(x):\n    model = joblib.load("m.joblib")\n    return model.predict(x)\n',
      name: 'a batch script function that is not served',
    },
    {
      code: 'from flask import Flask\nimport joblib\napp = Flask(__name__)\nclf = joblib.load("m.joblib")\n@app.route("/health")\ndef health():\n    return "ok"\n',
    },
  ],
  invalid: [
    {
      code: 'import joblib\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route("/v1/predict", methods=["POST"])\ndef predict():\n    model = joblib.load("m.joblib")\n    return str(model.predict([request.json]))\n',
      errors: [{ line: 6, column: 13, message: 'inside request handler `predict`' }],
      output: null,
    },
    {
      code: 'from fastapi import APIRouter\nfrom transformers import AutoModelForSequenceClassification as Clf\nrouter = APIRouter()\n@router.get("/sentiment")\nasync def sentiment(text: str):\n    model = Clf.from_pretrained(\n        "models/sentiment",\n    )\n    return model(text)\n',
      errors: [{ line: 6, column: 13, message: 'from_pretrained' }],
      name: 'APIRouter, aliased class, multi-line call',
    },
    {
      code: 'import pickle\nimport fastapi\napp = fastapi.FastAPI()\ndef score_one(features):\n    with open("r.pkl", "rb") as fh:\n        ranker = pickle.load(fh)\n    return ranker.predict([features])[0]\n@app.post("/rank")\ndef rank(items: list):\n    return sorted(items, key=lambda item: score_one(item))\n',
      errors: [{ line: 6, message: 'called per request from `rank`' }],
      name: 'a helper called per request through a lambda',
    },
    {
      code: 'import mlflow.pytorch\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.post("/embed")\ndef embed(text: str):\n    encoder = mlflow.pytorch.load_model("models:/enc/3")\n    return encoder(text)\n',
      errors: [{ line: 6, message: 'mlflow.pytorch.load_model' }],
    },
    {
      code: 'import joblib\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\ndef get_model():\n    return joblib.load("m.joblib")\n@app.post("/predict")\ndef predict(x: dict, model=Depends(get_model)):\n    return model.predict([x])\n',
      errors: [{ line: 5, message: 'per-request dependency' }],
      name: 'uncached FastAPI dependency',
    },
    {
      code: 'import torch\nfrom flask import Flask\napp = Flask(__name__)\ndef explain():\n    return torch.load("m.pt", weights_only=True)\napp.add_url_rule("/explain", "explain", explain)\n',
      errors: [{ line: 5 }],
      name: 'add_url_rule',
    },
    {
      code: 'import joblib\nfrom .main import app\n@app.post("/score")\ndef score(x: dict):\n    return joblib.load("m.joblib").predict([x])\n',
      errors: [{ line: 5 }],
      name: 'app imported from another module: path-shaped decorator',
    },
    {
      code: 'import joblib\ndef lambda_handler(event, context):\n    model = joblib.load("/opt/ml/model.joblib")\n    return model.predict([event["x"]]).tolist()\n',
      errors: [{ line: 3 }],
      name: 'AWS Lambda handler',
    },
    {
      code: 'import mlflow.pyfunc\nimport joblib\nclass Wrapper(mlflow.pyfunc.PythonModel):\n    def predict(self, context, model_input):\n        m = joblib.load(context.artifacts["m"])\n        return m.predict(model_input)\n',
      errors: [{ line: 5 }],
      name: 'MLflow PythonModel.predict',
    },
    {
      code: {
        cells: [
          '!pip install flask\nimport joblib\nfrom flask import Flask\napp = Flask(__name__)',
          '@app.post("/p")\ndef p():\n    return joblib.load("m.joblib").predict([[1]])',
        ],
      },
      errors: [{ cell: 1, line: 3, column: 12 }],
      name: 'notebook',
    },
    {
      code: 'import cPickle\nfrom flask import Flask\napp = Flask(__name__)\n@app.route("/p")\ndef p():\n    print "loading"\n    return cPickle.load(open("m.pkl"))\n',
      errors: [{ line: 7 }],
      name: 'Python 2 file',
    },
  ],
});
