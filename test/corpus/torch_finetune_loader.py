"""Fine-tune the image classifier head on the labelled crops."""
import logging

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter
from torchvision import datasets, models, transforms

log = logging.getLogger(__name__)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
writer = SummaryWriter()

tf = transforms.Compose([transforms.Resize(224), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/crops/train", transform=tf)
val_ds = datasets.ImageFolder("data/crops/val", transform=tf)
train_dl = DataLoader(train_ds, batch_size=64, shuffle=True, num_workers=4)  # expect: missing-seed
val_dl = DataLoader(val_ds, batch_size=64, shuffle=False, num_workers=4)  # ok: missing-seed

net = models.resnet18(weights=None)
net.fc = nn.Linear(net.fc.in_features, len(train_ds.classes))
net = net.to(device)
opt = torch.optim.AdamW(net.fc.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(5):
    net.train()
    for xb, yb in train_dl:
        opt.zero_grad()
        loss = loss_fn(net(xb.to(device)), yb.to(device))
        loss.backward()  # expect: missing-seed
        opt.step()
    writer.add_scalar("loss", loss.item(), epoch)
    log.info("epoch %d loss %.4f", epoch, loss.item())
