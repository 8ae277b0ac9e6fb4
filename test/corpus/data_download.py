"""Downloads the raw data sets the benchmark needs."""
import logging
import os
import zipfile

import requests

logger = logging.getLogger(__name__)
CACHE_DIR = os.environ.get("BENCH_CACHE", ".cache/bench")  # ok: hardcoded-path
http = requests.Session()
http.headers.update({"User-Agent": "bench-downloader/1.0"})


def download(url, name):
    os.makedirs(CACHE_DIR, exist_ok=True)
    target = os.path.join(CACHE_DIR, name)
    with http.get(url, stream=True) as response:  # expect: request-without-timeout
        response.raise_for_status()
        with open(target, "wb") as fh:
            for chunk in response.iter_content(chunk_size=1 << 20):
                fh.write(chunk)
    logger.info("downloaded %s", target)
    return target


def head(url):
    return requests.head(url, allow_redirects=True).headers.get("content-length")  # expect: request-without-timeout


def unpack_personal_copy():
    archive = os.path.expanduser("~/Downloads/benchmark.zip")  # expect: hardcoded-path
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(CACHE_DIR)


def download_checked(url, name):
    target = os.path.join(CACHE_DIR, name)
    response = http.get(url, timeout=60)  # ok: request-without-timeout
    response.raise_for_status()
    with open(target, "wb") as fh:
        fh.write(response.content)
    return target


def upload_report(url, payload):
    return requests.request("PUT", url, json=payload, timeout=30)  # ok: request-without-timeout
