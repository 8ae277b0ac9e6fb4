"""The model registry: promote a gated model, roll back, show what is served.

    python -m pipeline.promote              # promote the newest model that passed the gate
    python -m pipeline.promote --version V  # promote model-V (it must have passed the gate)
    python -m pipeline.promote --rollback   # serve the previously promoted model again
    python -m pipeline.promote --status     # what is promoted, and the history

The registry is ``models/registry.json``; the API serves its promoted model (restart the API,
or its pods, to pick up a promotion or a rollback). Promotion is refused for a model without a
passing gate verdict (``model-<version>.gate.json`` from ``python -m pipeline.evaluate``) or whose
file changed since it was gated.
"""

import argparse
import json
import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

from pipeline import config, data

logger = logging.getLogger("pipeline.promote")


class PromotionError(Exception):
    """The model cannot be promoted, or there is nothing to roll back to."""


def registry_path() -> Path:
    return config.MODELS_DIR / "registry.json"


def read_registry() -> Dict[str, Any]:
    path = registry_path()
    if not path.exists():
        return {"promoted": None, "history": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_registry(registry: Dict[str, Any]) -> None:
    path = registry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(registry, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)  # atomic: a reader sees the old or the new registry, never half of one


def gate_verdict(model_path: Path) -> Dict[str, Any]:
    """The gate's passing verdict for this exact file; raises PromotionError otherwise."""
    if not model_path.exists():
        raise PromotionError(f"{model_path.name} does not exist")
    verdict_path = model_path.with_suffix(".gate.json")
    if not verdict_path.exists():
        raise PromotionError(f"{model_path.name} has not been through the gate: run python -m pipeline.evaluate --model {model_path}")
    verdict = json.loads(verdict_path.read_text(encoding="utf-8"))
    if not verdict.get("passed"):
        raise PromotionError(f"{model_path.name} failed the gate: {'; '.join(verdict.get('failures', []))}")
    if verdict.get("model_sha256") != data.file_sha256(model_path):
        raise PromotionError(f"{model_path.name} changed since it passed the gate")
    return verdict


def promote(version: Optional[str] = None) -> Dict[str, Any]:
    """Makes a gated model the served one; returns the registry entry."""
    if version is None:
        candidates = sorted(config.MODELS_DIR.glob("model-*.joblib"))
        if not candidates:
            raise PromotionError(f"no model under {config.MODELS_DIR}: run python -m pipeline.train")
        model_path = candidates[-1]
    else:
        model_path = config.MODELS_DIR / f"model-{version}.joblib"
    verdict = gate_verdict(model_path)
    registry = read_registry()
    entry = {
        "version": model_path.stem[len("model-") :],
        "model": model_path.name,
        "model_sha256": verdict["model_sha256"],
        "metrics": verdict["metrics"],
        "promoted_at": datetime.now(timezone.utc).isoformat(),
    }
    if registry.get("promoted") and registry["promoted"]["model"] == entry["model"]:
        raise PromotionError(f"{model_path.name} is already the promoted model")
    if registry.get("promoted"):
        registry["history"].append(registry["promoted"])
    registry["promoted"] = entry
    _write_registry(registry)
    return entry


def rollback() -> Dict[str, Any]:
    """Serves the previously promoted model again; returns its registry entry."""
    registry = read_registry()
    history: List[Dict[str, Any]] = registry.get("history", [])
    if not history:
        raise PromotionError("nothing to roll back to: no model was promoted before the current one")
    previous = history.pop()
    gate_verdict(config.MODELS_DIR / previous["model"])
    registry["rolled_back"] = registry.get("rolled_back", []) + [registry["promoted"]]
    registry["promoted"] = dict(previous, promoted_at=datetime.now(timezone.utc).isoformat())
    _write_registry(registry)
    return registry["promoted"]


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description="Promote a gated model, or roll back.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--version", help="the model version to promote (default: the newest model)")
    group.add_argument("--rollback", action="store_true", help="serve the previously promoted model again")
    group.add_argument("--status", action="store_true", help="show the promoted model and the history")
    args = parser.parse_args(argv)
    if args.status:
        sys.stdout.write(json.dumps(read_registry(), indent=2) + "\n")
        return 0
    try:
        entry = rollback() if args.rollback else promote(args.version)
    except PromotionError as error:
        logger.error("%s", error)
        return 1
    logger.info("%s %s; restart the API to serve it", "rolled back to" if args.rollback else "promoted", entry["model"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
