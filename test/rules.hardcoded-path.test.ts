import rule from '../server/src/engine/rules/hardcoded-path';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // huggingface/trl f2cd577, trl/skills/skills.py
      code: 'from pathlib import Path\nAGENT_PATHS = {"claude": {"global": Path("~/.claude/skills")}}\ntarget = Path("~/.agents/skills").expanduser()\ntarget.mkdir(parents=True)\n',
      name: "an application's per-user folder under ~",
    },
    {
      // huggingface/trl f2cd577, examples/scripts/openenv/opencode.py and harbor/harnesses/jupyter/env.py
      code: 'import json\n\n\ndef run(sandbox, env, here):\n    if not sandbox.exists("/home/user/workdir/solution.py"):\n        return 0.0\n    sandbox.write_text("/home/user/workdir/_tests.json", json.dumps([]))\n    env.upload_file(here / "kernel_server.py", "/opt/kernel_server.py")\n',
      name: 'paths on a sandbox the code drives: pathlib-named methods with the path as argument, the remote side of an upload',
    },
    {
      code: 'import fsspec\n\n\ndef test_atomic_save_memory():\n    fs = fsspec.filesystem("memory")\n    with fs.open("/data/ckpt.pt", "wb") as f:\n        f.write(b"x")\n',
      filename: 'tests/tests_fabric/utilities/test_cloud_io.py',
      name: 'a pytest module (test_*.py): paths there are fixtures',
    },
    {
      code: 'import pytest\nimport pandas as pd\n\n\n@pytest.fixture\ndef frame():\n    return pd.read_csv("/home/alice/fixture.csv")\n',
      filename: 'helpers.py',
      name: 'a module that imports pytest',
    },
    { code: 'import pandas as pd\ndf = pd.read_csv("data/transactions.csv")\nk = pd.read_csv("../input/fraud/t.csv")\n', name: 'relative paths' },
    { code: 'import pandas as pd\nBUCKET = "s3://team/features/"\ndf = pd.read_parquet("gs://b/x.parquet")\nDOCS_URL = "https://example.com/docs"\n' },
    { code: 'import os\nSCRATCH = "/tmp/fraud_scratch"\nLOG_DEVICE = "/dev/null"\nos.makedirs("/tmp/x", exist_ok=True)\n' },
    { code: 'PARTITION_FORMAT = "%Y/%m/%d"\nEVENTS_ROUTE = "/api/v2/events"\nPREDICT_PATH = "/v1/predict"\n', name: 'format strings and routes' },
    { code: 'from fastapi import FastAPI\napp = FastAPI()\n@app.post("/v1/predict")\ndef predict():\n    pass\n', name: 'route decorator' },
    { code: 'import requests\nrequests.get(HOST + "/v1/balance", timeout=5)\n' },
    {
      code: 'import os\nDATA_DIR = os.environ.get("DATA_DIR", "/home/priya/data")\nROOT = os.getenv("ROOT", "/opt/app")\n',
      name: "defaults of environment reads (the fix's output)",
    },
    { code: 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--out", default="/home/me/out")\n', name: 'argparse default' },
    { code: 'print("/home/priya/data")\nlogger.info("/Users/x/y")\n', name: 'not I/O and no path-like name' },
    { code: 'import os\nos.path.join(root, "/sub")\nopen(base + "/x.csv")\n', name: 'fragments after a root' },
    {
      code: 'import modal\nimage = (\n    modal.Image.debian_slim()\n    .pip_install("scikit-learn")\n    .add_local_file("src/constants/config.py", remote_path="/root/src/constants/config.py")\n    .add_local_dir("assets", remote_path="/root/assets")\n)\n',
      name: "Modal's remote_path: a path inside the image the file builds",
    },
    {
      code: 'import os\nimport pickle\nimport modal\n\napp = modal.App("credit")\nvolume = modal.Volume.from_name("models")\n\n\ndef _load_model(model_path):\n    if not os.path.isabs(model_path):\n        model_path = os.path.join("/mnt", model_path)\n    with open(model_path, "rb") as f:\n        return pickle.load(f)\n\n\n@app.function(volumes={"/mnt": volume})\ndef predict(x):\n    return _load_model("model.pkl").predict(x)\n',
      name: "a mount point of Modal's volumes= and a path under it",
    },
    {
      code: 'import os\nimport modal\n\nvolume = modal.Volume.from_name("models")\napp_config = {"image": image}\napp_config["volumes"] = {"/mnt": volume}\nsettings = {"secrets": [], "volumes": {"/cache": volume}}\n\n\ndef load(name):\n    with open(os.path.join("/mnt", name), "rb") as f:\n        return f.read()\n\n\ndef cached(name):\n    return open("/cache/" + name).read()\n',
      name: "Modal's volumes set through a configuration dictionary",
    },
    {
      code: 'from zenml.integrations.kubernetes.flavors import KubernetesOrchestratorSettings\n\nMNT_PATH = "/mnt/data"\n\nsettings = KubernetesOrchestratorSettings(\n    pod_settings={\n        "volume_mounts": [{"mountPath": MNT_PATH, "name": "data-volume"}],\n    },\n)\n\n\ndef save(frames):\n    frames.to_parquet(f"{MNT_PATH}/frames.parquet")\n',
      name: 'a Kubernetes mountPath through a constant, and a write under it',
    },
  ],
  invalid: [
    {
      code: 'import os\nfrom pathlib import Path\nos.path.exists("/home/alice/data.csv")\nPath("/home/alice/out.txt").write_text("x")\nclient.upload_file("/home/alice/model.bin", "bucket", "model.bin")\nPath("~/Downloads/train.csv").read_text()\n',
      errors: [{ line: 3 }, { line: 4 }, { line: 5 }, { line: 6 }],
      name: "os.path.exists, a Path built from the literal, an upload's local source, a personal folder under ~",
    },
    {
      code: 'import modal\nimport pandas as pd\napp = modal.App("x")\nvolume = modal.Volume.from_name("models")\n\n\n@app.function(volumes={"/mnt": volume})\ndef load():\n    return pd.read_csv("/home/alice/data.csv")\n',
      errors: [{ line: 9, column: 24, message: '`/home/alice/data.csv`' }],
      name: 'a path outside the mount points is still on one machine',
    },
    {
      code: 'import pandas as pd\nvolumes = {"/mnt": "data"}\ndf = pd.read_csv("/mnt/data/train.csv")\n',
      errors: [{ line: 3, column: 18, message: '`/mnt/data/train.csv`' }],
      name: 'a volumes dict without Modal declares no mount point',
    },
    {
      code: 'import pandas as pd\n\n\ndef test_set_check(identifier):\n    return identifier % 5 == 0\n\n\ndf = pd.read_csv("/home/alice/housing.csv")\n',
      filename: 'notebooks/contest.py',
      errors: [{ line: 8 }],
      name: 'a script with a test_-named helper is not a test module (pytest collects by file name)',
    },
    {
      code: 'import os\n\nDATA_ROOT = "/home/priya/work/fraud/data"\n',
      errors: [{ line: 3, column: 13, message: '`/home/priya/work/fraud/data`' }],
      output: 'import os\n\nDATA_ROOT = os.environ.get("DATA_ROOT", "/home/priya/work/fraud/data")\n',
    },
    {
      code: 'import pandas as pd\nlabels = pd.read_csv("/home/priya/labels.csv")\n',
      errors: [{ line: 2, column: 22 }],
      output: 'import pandas as pd\nimport os\nlabels = pd.read_csv(os.environ.get("LABELS_PATH", "/home/priya/labels.csv"))\n',
      name: 'env name from the assigned variable',
    },
    {
      code: 'import shutil\nEXPORT = r"C:\\Users\\priya\\exports\\t.csv"\nshutil.copy(EXPORT, "out.csv")\n',
      errors: [{ line: 2, column: 10 }],
      output: 'import shutil\nimport os\nEXPORT = os.environ.get("EXPORT_PATH", r"C:\\Users\\priya\\exports\\t.csv")\nshutil.copy(EXPORT, "out.csv")\n',
      name: 'through a constant whose name does not say path',
    },
    {
      code: 'import shutil\nshutil.copytree("\\\\\\\\fileserver\\\\ml\\\\lookups", "lookups")\n',
      errors: [{ line: 2, column: 17 }],
      output: 'import shutil\nimport os\nshutil.copytree(os.environ.get("MLREADY_PATH", "\\\\\\\\fileserver\\\\ml\\\\lookups"), "lookups")\n',
      name: 'UNC path; MLREADY_PATH when nothing names it',
    },
    {
      code: 'import os\nwith open(os.path.expanduser("~/notes.txt")) as fh:\n    pass\n',
      errors: [{ line: 2, column: 30 }],
    },
    {
      code: 'from pathlib import Path as P\nARCHIVE = P("/srv/archive/recsys")\ncard = P("/opt/models/CARD.md").read_text()\n',
      errors: [
        { line: 2, column: 13 },
        { line: 3, column: 10 },
      ],
      output:
        'from pathlib import Path as P\nimport os\nARCHIVE = P(os.environ.get("ARCHIVE_PATH", "/srv/archive/recsys"))\ncard = P(os.environ.get("CARD_PATH", "/opt/models/CARD.md")).read_text()\n',
      name: 'pathlib alias',
    },
    {
      code: 'import glob\nimport os\nBASE = "/mnt/shared"\nfiles = glob.glob(os.path.join(BASE, "*.parquet"))\nrows = open(f"{BASE}/x.csv")\n',
      errors: [{ line: 3, column: 8 }],
      name: 'a weak root through os.path.join and an f-string, reported once at the literal',
    },
    {
      code: 'import joblib\nmodel = joblib.load(\n    "/content/drive/MyDrive/model.pkl",\n)\n',
      errors: [{ line: 3, column: 5 }],
      name: 'multi-line call',
    },
    {
      code: 'from transformers import Trainer, TrainingArguments\nargs = TrainingArguments(output_dir="/kaggle/working/out")\ncfg = {"data_path": "/data/tickets/x"}\ndef load(path="/Users/me/x.csv"):\n    pass\n',
      errors: [
        { line: 2, column: 37 },
        { line: 3, column: 21 },
        { line: 4, column: 15 },
      ],
      output:
        'from transformers import Trainer, TrainingArguments\nimport os\nargs = TrainingArguments(output_dir=os.environ.get("OUTPUT_DIR", "/kaggle/working/out"))\ncfg = {"data_path": os.environ.get("DATA_PATH", "/data/tickets/x")}\ndef load(path=os.environ.get("MLREADY_PATH", "/Users/me/x.csv")):\n    pass\n',
      name: 'keyword, dictionary key and parameter default',
    },
    {
      code: 'import numpy as np\nprint "loading"\ndata = np.loadtxt("/home/ops/train.tsv", delimiter="\\t")\n',
      errors: [{ line: 3, column: 19 }],
      name: 'Python 2 file',
    },
    {
      code: {
        cells: [
          'from google.colab import drive\ndrive.mount("/content/drive")\n!ls /content/drive',
          'import pandas as pd\ndf = pd.read_csv("/content/drive/MyDrive/churn.csv")',
        ],
      },
      errors: [{ cell: 1, line: 2, column: 18 }],
      name: 'notebook: the read under the Colab mount, not the mount',
    },
  ],
});
