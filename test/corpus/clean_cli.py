"""Command-line entry point that scores a CSV file with a versioned ONNX model."""
import argparse
import logging
import sys
from pathlib import Path

import httpx
import numpy as np
import onnxruntime as ort
import pandas as pd

logger = logging.getLogger("score")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", type=Path)
    parser.add_argument("--model", type=Path, default=Path("models/churn.onnx"))
    parser.add_argument("--output", type=Path, default=Path("scores.csv"))
    parser.add_argument("--notify", default=None, help="webhook URL to call when done")
    return parser.parse_args(argv)


def score(model_path: Path, frame: pd.DataFrame) -> np.ndarray:
    session = ort.InferenceSession(str(model_path))
    inputs = frame.to_numpy(dtype=np.float32)
    (proba,) = session.run(["probabilities"], {"input": inputs})
    return proba[:, 1]


def main(argv=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = parse_args(argv)
    frame = pd.read_csv(args.input)
    frame["score"] = score(args.model, frame)
    frame.to_csv(args.output, index=False)
    logger.info("scored %d rows into %s", len(frame), args.output)
    if args.notify:
        with httpx.Client(timeout=10.0) as client:
            client.post(args.notify, json={"rows": len(frame)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
