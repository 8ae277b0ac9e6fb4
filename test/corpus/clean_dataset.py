"""PyTorch dataset over pre-tokenised shards; no training or inference happens here."""
import json
import logging
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

logger = logging.getLogger(__name__)


class ShardDataset(Dataset):
    def __init__(self, root: Path, split: str = "train", seed: int = 0):
        self.files = sorted((root / split).glob("*.npy"))
        with open(root / "meta.json") as fh:
            self.meta = json.load(fh)
        self.rng = np.random.default_rng(seed)  # ok: legacy-numpy-random
        self.index = [(i, j) for i, f in enumerate(self.files) for j in range(self.meta["rows_per_shard"])]
        logger.info("%s: %d shards, %d rows", split, len(self.files), len(self.index))

    def __len__(self):
        return len(self.index)

    def __getitem__(self, item):
        shard, row = self.index[item]
        tokens = np.load(self.files[shard], mmap_mode="r")[row]
        if self.meta.get("augment"):
            tokens = np.roll(tokens, int(self.rng.integers(0, 4)))
        return torch.as_tensor(np.asarray(tokens), dtype=torch.long)
