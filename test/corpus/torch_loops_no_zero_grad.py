"""Two training loops from the recommender prototype: an autoencoder and a ranking head."""
import torch
from torch import nn, optim
from torch.utils.tensorboard import SummaryWriter

writer = SummaryWriter()
device = "cuda" if torch.cuda.is_available() else "cpu"  # ok: hardcoded-device

autoencoder = nn.Sequential(nn.Linear(256, 32), nn.ReLU(), nn.Linear(32, 256)).to(device)
ae_opt = optim.SGD(autoencoder.parameters(), lr=0.05, momentum=0.9)


def train_autoencoder(loader, epochs=10):
    for epoch in range(epochs):
        for step, batch in enumerate(loader):
            batch = batch.to(device)
            loss = nn.functional.mse_loss(autoencoder(batch), batch)
            loss.backward()
            ae_opt.step()  # expect: missing-zero-grad
            writer.add_scalar("ae/loss", loss.item(), epoch * len(loader) + step)


ranker = nn.Linear(32, 1).to(device)
rank_optimizer = optim.Adam(ranker.parameters(), lr=1e-3)


def train_ranker(pairs):
    ranker.train()
    for pos, neg in pairs:
        margin = ranker(pos.to(device)) - ranker(neg.to(device))
        loss = torch.relu(1.0 - margin).mean()
        loss.backward()
        rank_optimizer.step()  # expect: missing-zero-grad
        writer.add_scalar("ranker/loss", loss.item())
