"""Tabular MLP training with the habits a production pipeline needs."""
import logging
import os
from datetime import datetime, timezone

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter

logger = logging.getLogger(__name__)
SEED = int(os.environ.get("SEED", "42"))
RUN_ID = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
CKPT_DIR = os.environ.get("CKPT_DIR", "checkpoints")

torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")  # ok: hardcoded-device


def make_model(n_features):
    return nn.Sequential(nn.Linear(n_features, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1))


def train_epoch(model, loader, optimizer, loss_fn):
    model.train()
    total = 0.0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(xb).squeeze(1), yb)
        loss.backward()  # ok: missing-zero-grad, untracked-training
        optimizer.step()
        total += loss.item() * len(xb)
    return total / len(loader.dataset)


def evaluate(model, loader, loss_fn):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            total += loss_fn(model(xb).squeeze(1), yb).item() * len(xb)  # ok: missing-eval-mode
    return total / len(loader.dataset)


def main(train_ds: TensorDataset, val_ds: TensorDataset, epochs: int = 20):
    writer = SummaryWriter(log_dir=os.path.join("runs", RUN_ID))
    model = make_model(train_ds.tensors[0].shape[1]).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    loss_fn = nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(SEED)
    train_loader = DataLoader(train_ds, batch_size=128, shuffle=True, generator=generator)
    val_loader = DataLoader(val_ds, batch_size=512)
    for epoch in range(epochs):
        train_loss = train_epoch(model, train_loader, optimizer, loss_fn)
        val_loss = evaluate(model, val_loader, loss_fn)
        writer.add_scalar("loss/train", train_loss, epoch)
        writer.add_scalar("loss/val", val_loss, epoch)
        logger.info("epoch %d train %.4f val %.4f", epoch, train_loss, val_loss)
        torch.save(model.state_dict(), os.path.join(CKPT_DIR, f"mlp-{RUN_ID}-epoch{epoch:03d}.pt"))  # ok: unversioned-artifact
    writer.close()
    return model


def load_checkpoint(path):
    model = make_model(12)
    model.load_state_dict(torch.load(path, map_location=device, weights_only=True))  # ok: unsafe-deserialization
    return model
