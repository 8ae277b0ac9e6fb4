"""Paths for the nightly feature job, as they were first hard-wired on a laptop."""
import glob
import os
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd

DATA_ROOT = "/home/priya/work/fraud/data"  # mlready: ignore[hardcoded-paths]  # expect: hardcoded-path, unknown-suppression
OUTPUT_DIR = "/Users/priya/Desktop/fraud_outputs"  # expect: hardcoded-path
WINDOWS_EXPORT = r"C:\Users\priya\Documents\exports\transactions.csv"  # expect: hardcoded-path
RELATIVE_DATA = "data/transactions.csv"  # mlready: ignore[hardcoded-path, hardcoded-secret]  # ok: hardcoded-path, unknown-suppression
KAGGLE_STYLE = "../input/fraud/transactions.csv"  # ok: hardcoded-path
BUCKET = "s3://fraud-team/features/"  # ok: hardcoded-path
DOCS_URL = "https://example.com/docs/fraud"  # ok: hardcoded-path
SCRATCH = "/tmp/fraud_scratch"  # ok: hardcoded-path
PARTITION_FORMAT = "%Y/%m/%d"  # ok: hardcoded-path


def load_transactions():
    frames = []
    for name in glob.glob(os.path.join(DATA_ROOT, "*.parquet")):
        frames.append(pd.read_parquet(name))
    return pd.concat(frames)


def load_labels():
    return pd.read_csv("/home/priya/work/fraud/labels/labels_2024.csv")  # expect: hardcoded-path


def export(df):
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    partition = datetime.now().strftime(PARTITION_FORMAT)
    df.to_csv(os.path.join(SCRATCH, "features.csv"), index=False)
    shutil.copy(os.path.join(SCRATCH, "features.csv"), "/mnt/shared/fraud/features.csv")  # expect: hardcoded-path
    shutil.copy(WINDOWS_EXPORT, Path(OUTPUT_DIR) / partition.replace("/", "-"))


def read_notes():
    with open(os.path.expanduser("~/fraud_notes.txt")) as fh:  # expect: hardcoded-path
        return fh.read()


def read_model_card():
    return Path("/opt/models/fraud/MODEL_CARD.md").read_text()  # expect: hardcoded-path
