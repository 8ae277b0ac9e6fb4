import rule from '../server/src/engine/rules/unsafe-deserialization';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'import pickle\n\nstate = pickle.dumps(early_stopping)\nrestored = pickle.loads(state)\nagain = pickle.loads(pickle.dumps(trainer))\n',
      name: 'bytes the code made a line before with pickle.dumps',
    },
    {
      code: 'import pickle\nfrom sklearn.linear_model import LinearRegression\n\nregressor = LinearRegression().fit(X, y)\npickle.dump(regressor, open("model.pkl", "wb"))\nmodel = pickle.load(open("model.pkl", "rb"))\n',
      name: 'a model pickled two lines above, loaded back from the same path (the Heroku demo)',
    },
    {
      code: { cells: ['import joblib\nMODEL = "model/model_1.joblib"\njoblib.dump(clf, MODEL)', 'clf2 = joblib.load(MODEL)'] },
      name: 'a notebook reloads what it dumped in the cell before, through the same constant',
    },
    {
      code: 'import io\nimport torch\n\n\ndef broadcast(obj):\n    buffer = io.BytesIO()\n    torch.save(obj, buffer)\n    buffer.seek(0)\n    return torch.load(buffer)\n',
      name: 'torch.save to an in-memory buffer, torch.load from it',
    },
    {
      code: 'import pickle\n\nwith open("cache.pkl", "wb") as fh:\n    pickle.dump(embeddings, fh)\nwith open("cache.pkl", "rb") as fh:\n    embeddings = pickle.load(fh)\n',
      name: 'written and read back through with open(...) as fh',
    },
    {
      code: 'import pickle\n\n\ndef test_trainer_is_picklable(trainer):\n    pickle.loads(pickle.dumps(trainer))\n',
      filename: 'tests/tests_pytorch/loggers/test_logger.py',
      name: 'a pytest module: a test loads what it wrote a line before',
    },
    { code: 'from langchain_community.vectorstores import FAISS\ndb = FAISS.load_local("faiss_index", embeddings, allow_dangerous_deserialization=False)\n' },
    {
      code: 'from langchain_community.vectorstores import FAISS\ndb = FAISS.load_local(path, embeddings, allow_dangerous_deserialization=settings.trusted)\n',
      name: 'an opt-in from configuration is not a literal',
    },
    { code: 'import torch\nstate = torch.load("w.pt", weights_only=True)\n' },
    { code: 'import torch\nstate = torch.load(path, weights_only=flag)\n', name: 'weights_only from a variable is not second-guessed' },
    { code: 'import yaml\nwith open("c.yaml") as fh:\n    cfg = yaml.safe_load(fh)\n' },
    { code: 'import yaml\ncfg = yaml.load(fh, Loader=yaml.SafeLoader)\n' },
    { code: 'import yaml\ncfg = yaml.load(fh, yaml.CSafeLoader)\n', name: 'positional safe loader' },
    { code: 'from yaml import SafeLoader, load\ncfg = load(fh, Loader=SafeLoader)\n' },
    { code: 'import yaml\ncfg = yaml.load(fh, Loader=MyLoader)\n', name: 'unresolvable loader is not flagged' },
    { code: 'import numpy as np\nm = np.load("m.npy")\nn = np.load("m.npy", allow_pickle=False)\n' },
    { code: 'import json\nimport pandas as pd\nlabels = json.load(fh)\ndf = pd.read_parquet("x.parquet")\n' },
    { code: 'import pickle\npickle.dump(obj, fh)\ns = pickle.dumps(obj)\n', name: 'writing a pickle is not loading one' },
    { code: 'def load(path):\n    return path\nx = load("model.pkl")\n', name: 'a local function named load' },
    { code: 'import joblib\nclass Store:\n    def load(self, p):\n        return p\nStore().load("x")\n', name: 'a method named load' },
  ],
  invalid: [
    {
      code: 'import joblib\n\n\ndef save(model, path):\n    joblib.dump(model, path)\n\n\ndef load(path):\n    return joblib.load(path)\n',
      errors: [{ line: 9, column: 12 }],
      name: 'a dump in another function: the loaded path comes from the caller',
    },
    {
      code: 'import pickle\n\npath = "model.pkl"\npickle.dump(model, open(path, "wb"))\npath = sys.argv[1]\nmodel = pickle.load(open(path, "rb"))\n',
      errors: [{ line: 6, column: 9 }],
      name: 'the same name, reassigned between the dump and the load',
    },
    {
      code: 'import pickle\n\nmodel = pickle.load(open("model.pkl", "rb"))\npickle.dump(model, open("model.pkl", "wb"))\n',
      errors: [{ line: 3, column: 9 }],
      name: 'the dump comes after the load',
    },
    {
      code: 'import pickle\n\n\ndef load_model(path):\n    with open(path, "rb") as fh:\n        return pickle.load(fh)\n',
      filename: '/srv/tests/app/serving.py',
      errors: [{ line: 6 }],
      name: "a serving module under a folder called tests: only the file's name is read",
    },
    {
      code: 'from langchain_community.vectorstores import FAISS\nfrom langchain_openai import OpenAIEmbeddings\n\ndb = FAISS.load_local("faiss_index", OpenAIEmbeddings(), allow_dangerous_deserialization=True)\n',
      errors: [{ line: 4, column: 6, message: '`load_local(..., allow_dangerous_deserialization=True)` unpickles' }],
      output: null,
    },
    {
      code: 'from langchain_experimental.agents import create_pandas_dataframe_agent\nALLOW = True\nagent = create_pandas_dataframe_agent(\n    llm,\n    df,\n    verbose=True,\n    allow_dangerous_code=ALLOW,\n)\n',
      errors: [{ line: 3, message: '`create_pandas_dataframe_agent(..., allow_dangerous_code=True)` runs Python that the model writes' }],
    },
    {
      code: 'import pickle\nwith open("m.pkl", "rb") as fh:\n    model = pickle.load(fh)\n',
      errors: [{ line: 3, column: 13, message: '`pickle.load` can run arbitrary code' }],
      output: null,
    },
    {
      code: 'import _pickle as cPickle\nfrom pickle import loads as unpickle\nimport dill\na = cPickle.load(f)\nb = unpickle(blob)\nc = dill.load(f)\n',
      errors: [
        { line: 4, message: 'cPickle.load' },
        { line: 5, message: 'pickle.loads' },
        { line: 6, message: 'dill.load' },
      ],
    },
    {
      code: 'import joblib\nimport pandas as pd\nclf = joblib.load("clf.joblib")\nfeatures = pd.read_pickle(\n    "features.pkl",\n)\n',
      errors: [
        { line: 3, column: 7 },
        { line: 4, column: 12, message: 'pandas.read_pickle' },
      ],
    },
    {
      code: 'from sklearn.externals import joblib\nm = joblib.load("m.pkl")\n',
      errors: [{ line: 2, message: 'joblib.load' }],
    },
    {
      code: 'import numpy as np\nemb = np.load("e.npy", allow_pickle=True)\n',
      errors: [{ line: 2, message: 'allow_pickle=True' }],
      output: null,
    },
    {
      code: 'import torch\nckpt = torch.load("c.pt", map_location="cpu")\n',
      errors: [{ line: 2, column: 8, message: 'weights_only=True' }],
      output: 'import torch\nckpt = torch.load("c.pt", map_location="cpu", weights_only=True)\n',
    },
    {
      code: 'import torch\nfull = torch.load("c.pt", weights_only=False)\n',
      errors: [{ line: 2 }],
      output: 'import torch\nfull = torch.load("c.pt", weights_only=True)\n',
    },
    {
      code: 'from torch import load as tload\nstate = tload(\n    path,\n    map_location=device,\n)\n',
      errors: [{ line: 2 }],
      output: 'from torch import load as tload\nstate = tload(\n    path,\n    map_location=device,\n    weights_only=True,\n)\n',
      name: 'aliased torch.load over several lines',
    },
    {
      code: 'import yaml\nwith open("c.yaml") as fh:\n    cfg = yaml.load(fh)\n',
      errors: [{ line: 3, column: 11, message: 'yaml.safe_load' }],
      output: 'import yaml\nwith open("c.yaml") as fh:\n    cfg = yaml.safe_load(fh)\n',
    },
    {
      code: 'import yaml as y\ndocs = list(y.load_all(stream))\n',
      errors: [{ line: 2 }],
      output: 'import yaml as y\ndocs = list(y.safe_load_all(stream))\n',
    },
    {
      code: 'import os\nfrom yaml import load\ncfg = load(open("c.yaml"))\n',
      errors: [{ line: 3 }],
      output: 'import os\nfrom yaml import load\nimport yaml\ncfg = yaml.safe_load(open("c.yaml"))\n',
      name: 'from-import of yaml.load gets the module import added',
    },
    {
      code: 'import yaml\nfrom yaml import Loader\ncfg = yaml.load(fh, Loader=Loader)\nother = yaml.load(fh, Loader=yaml.FullLoader)\n',
      errors: [{ line: 3, message: 'unsafe `Loader`' }, { line: 4 }],
      output: 'import yaml\nfrom yaml import Loader\ncfg = yaml.load(fh, Loader=yaml.SafeLoader)\nother = yaml.load(fh, Loader=yaml.SafeLoader)\n',
    },
    {
      code: 'import yaml\ncfg = yaml.unsafe_load(text)\n',
      errors: [{ line: 2, message: 'yaml.unsafe_load' }],
    },
    {
      code: { cells: ['%load_ext autoreload\nimport joblib', '!ls models\nmodel = joblib.load("models/m.joblib")'] },
      errors: [{ cell: 1, line: 2, column: 9 }],
      name: 'notebook with magics',
    },
    {
      code: 'import cPickle\nprint "loading"\nmodel = cPickle.load(open("m.pkl", "rb"))\n',
      errors: [{ line: 3, message: 'cPickle.load' }],
      name: 'Python 2 file',
    },
  ],
});
