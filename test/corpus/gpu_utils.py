"""Device selection helpers shared by the training and inference jobs."""
import logging
import os

import torch

logger = logging.getLogger(__name__)


def pick_device(prefer: str | None = None) -> torch.device:
    name = prefer or os.environ.get("TORCH_DEVICE")
    if name:
        return torch.device(name)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")  # ok: hardcoded-device


def move_batch(batch, device):
    return {key: value.to(device, non_blocking=True) for key, value in batch.items()}


def warm_up(model):
    if torch.cuda.is_available():
        model = model.cuda()  # ok: hardcoded-device
        torch.cuda.synchronize()
    logger.info("model on %s", next(model.parameters()).device)
    return model


def pinned(tensor):
    return tensor.pin_memory() if torch.cuda.is_available() else tensor
