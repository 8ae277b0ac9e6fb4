"""Loading the artefacts the evaluation job needs."""
import json
import pickle
import _pickle as cPickle

import dill
import joblib
import numpy as np
import pandas as pd
import torch
import yaml
from yaml import Loader

with open("artifacts/vectorizer.pkl", "rb") as fh:
    vectorizer = pickle.load(fh)  # expect: unsafe-deserialization

blob = open("artifacts/model.bin", "rb").read()
model = pickle.loads(blob)  # expect: unsafe-deserialization
legacy = cPickle.load(open("artifacts/legacy.pkl", "rb"))  # expect: unsafe-deserialization
preprocess = dill.load(open("artifacts/preprocess.dill", "rb"))  # expect: unsafe-deserialization
clf = joblib.load("artifacts/clf.joblib")  # expect: unsafe-deserialization
features = pd.read_pickle("artifacts/features.pkl")  # expect: unsafe-deserialization
embeddings = np.load("artifacts/embeddings.npy", allow_pickle=True)  # expect: unsafe-deserialization
checkpoint = torch.load("artifacts/checkpoint.pt", map_location="cpu")  # expect: unsafe-deserialization
full_model = torch.load("artifacts/full.pt", weights_only=False)  # expect: unsafe-deserialization

with open("config/eval.yaml") as fh:
    config = yaml.load(fh)  # expect: unsafe-deserialization
with open("config/extra.yaml") as fh:
    extra = yaml.load(fh, Loader=Loader)  # expect: unsafe-deserialization

# The safe variants below are what the fixes produce.
state_dict = torch.load("artifacts/weights.pt", weights_only=True)  # ok: unsafe-deserialization
with open("config/eval.yaml") as fh:
    safe_config = yaml.safe_load(fh)  # ok: unsafe-deserialization
with open("config/eval.yaml") as fh:
    also_safe = yaml.load(fh, Loader=yaml.SafeLoader)  # ok: unsafe-deserialization
matrix = np.load("artifacts/matrix.npy")  # ok: unsafe-deserialization
with open("artifacts/labels.json") as fh:
    labels = json.load(fh)  # ok: unsafe-deserialization
table = pd.read_parquet("artifacts/features.parquet")  # ok: unsafe-deserialization
