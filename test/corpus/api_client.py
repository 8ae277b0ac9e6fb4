"""Fetches enrichment data for the recommender from partner APIs."""
import logging
import urllib.request

import httpx
import requests

logger = logging.getLogger(__name__)
BASE = "https://partner.example.com/api"
session = requests.Session()


def fetch_profile(user_id):
    resp = requests.get(f"{BASE}/users/{user_id}")  # expect: request-without-timeout
    resp.raise_for_status()
    return resp.json()


def push_scores(scores):
    return requests.post(  # expect: request-without-timeout
        f"{BASE}/scores",
        json=scores,
        headers={"Content-Type": "application/json"},
    )


def fetch_catalog():
    return session.get(f"{BASE}/catalog").json()  # expect: request-without-timeout


def fetch_catalog_fast():
    return httpx.get(f"{BASE}/catalog")  # httpx functions time out after 5 s by default


def fetch_raw(url):
    with urllib.request.urlopen(url) as fh:  # expect: request-without-timeout
        return fh.read()


def fetch_profile_safely(user_id):
    resp = requests.get(f"{BASE}/users/{user_id}", timeout=5)  # ok: request-without-timeout
    return resp.json()


def fetch_many(ids):
    with httpx.Client(base_url=BASE) as client:
        return [client.get(f"/users/{i}").json() for i in ids]  # ok: request-without-timeout


def fetch_with_session(path):
    return session.get(f"{BASE}/{path}", timeout=(3, 30)).json()  # ok: request-without-timeout


def fetch_raw_safely(url):
    with urllib.request.urlopen(url, timeout=10) as fh:  # ok: request-without-timeout
        logger.info("fetched %s", url)
        return fh.read()
