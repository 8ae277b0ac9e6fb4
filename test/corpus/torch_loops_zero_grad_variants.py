"""Training loops that zero gradients in the less common ways."""
import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter

writer = SummaryWriter()
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")  # ok: hardcoded-device
model = nn.Linear(64, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
ACCUM_STEPS = 4


def reset_gradients(opt):
    opt.zero_grad(set_to_none=True)


def train_accumulating(loader):
    model.train()
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device)) / ACCUM_STEPS
        loss.backward()
        if (step + 1) % ACCUM_STEPS == 0:
            optimizer.step()  # ok: missing-zero-grad
            optimizer.zero_grad()
            writer.add_scalar("loss", loss.item() * ACCUM_STEPS, step)


def train_with_helper(loader):
    model.train()
    for x, y in loader:
        reset_gradients(optimizer)
        loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
        loss.backward()
        optimizer.step()  # ok: missing-zero-grad


def train_model_zero_grad(loader):
    model.train()
    for x, y in loader:
        model.zero_grad()
        nn.functional.cross_entropy(model(x.to(device)), y.to(device)).backward()
        optimizer.step()  # ok: missing-zero-grad
