"""Batch inference for the defect detector."""
import logging

import torch
from torch.utils.data import DataLoader

logger = logging.getLogger(__name__)
device = torch.device("cuda:0")  # expect: hardcoded-device


def predict(model, loader: DataLoader):
    preds = []
    with torch.no_grad():
        for batch in loader:
            logits = model(batch.to(device))  # expect: missing-eval-mode
            preds.append(logits.argmax(dim=1).cpu())
    return torch.cat(preds)


def validate(model, val_loader, criterion):
    model.eval()
    losses = []
    for inputs, targets in val_loader:
        outputs = model(inputs.to(device))  # expect: missing-eval-mode
        losses.append(criterion(outputs, targets.to(device)).item())
    return sum(losses) / len(losses)


def test_time_augmented(model, images):
    model.eval()
    with torch.inference_mode():
        flipped = torch.flip(images, dims=[3])
        return (model(images) + model(flipped)) / 2  # ok: missing-eval-mode


def make_noise(batch_size):
    return torch.randn(batch_size, 128, device="cuda")  # expect: hardcoded-device
