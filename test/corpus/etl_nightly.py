"""Nightly ETL that prepares the features the recommender is trained on."""
import os
import shutil
from pathlib import Path

import pandas as pd
import requests

RAW_DIR = "/opt/airflow/data/raw"  # expect: hardcoded-path
ARCHIVE_ROOT = Path("/srv/archive/recsys")  # expect: hardcoded-path
FEATURE_FILE = "features/interactions.parquet"  # ok: hardcoded-path
LOG_DEVICE = "/dev/null"  # ok: hardcoded-path
EVENTS_ROUTE = "/api/v2/events"  # ok: hardcoded-path
HOST = "https://events.example.com"


def download_events(day):
    response = requests.get(HOST + EVENTS_ROUTE, params={"day": day})  # expect: request-without-timeout
    target = os.path.join(RAW_DIR, f"events-{day}.json")
    with open(target, "wb") as fh:
        fh.write(response.content)
    return target


def build_features(path):
    events = pd.read_json(path, lines=True)
    features = events.groupby("user_id").agg(clicks=("click", "sum"), views=("view", "sum"))
    features.to_parquet(FEATURE_FILE)
    return features


def archive(path):
    try:
        shutil.move(path, ARCHIVE_ROOT / os.path.basename(path))
    except OSError:  # expect: swallowed-error
        pass


def read_manifest(path):
    try:
        with open(path) as fh:
            return fh.read().splitlines()
    except FileNotFoundError:  # ok: swallowed-error
        return []


def sync_share():
    shutil.copytree("\\\\fileserver\\ml\\recsys\\lookups", "lookups", dirs_exist_ok=True)  # expect: hardcoded-path
