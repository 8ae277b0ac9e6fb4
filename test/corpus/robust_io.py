"""Record parsing for the click-stream ingestion job."""
import json
import logging

logger = logging.getLogger(__name__)


def parse_lines(lines):
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except:  # expect: swallowed-error
            continue
    return records


def parse_timestamp(value):
    try:
        return int(value)
    except ValueError:  # expect: swallowed-error
        pass


def load_optional_features(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, json.JSONDecodeError):  # expect: swallowed-error
        ...


def enrich(records, lookup):
    for record in records:
        try:
            record["country"] = lookup[record["ip"]]
        except KeyError:  # expect: swallowed-error
            print("no country for", record["ip"])  # expect: print-logging


def coerce_all(records):
    for record in records:
        try:
            record["amount"] = float(record["amount"])
        except Exception:  # expect: swallowed-error
            continue


def parse_price(value):
    try:
        return float(value)
    except ValueError:  # ok: swallowed-error
        logger.warning("unparseable price %r", value)
        return None


def read_schema(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except FileNotFoundError:  # ok: swallowed-error
        return {"fields": []}


def strict_parse(line):
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:  # ok: swallowed-error
        raise ValueError(f"bad record: {line[:40]}") from exc


def safe_ratio(a, b):
    try:
        ratio = a / b
    except ZeroDivisionError:  # ok: swallowed-error
        ratio = 0.0
    return ratio


def load_all(paths):
    out = []
    for path in paths:
        try:
            out.append(read_schema(path))
        except Exception:  # ok: swallowed-error
            logger.exception("failed to read %s", path)
    return out
