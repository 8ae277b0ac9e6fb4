"""Image classifier training, as it ran on the workstation under the desk."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(64 * 12 * 12, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


tfm = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=tfm), batch_size=64, shuffle=True)
test_loader = DataLoader(datasets.MNIST("data", train=False, transform=tfm), batch_size=256)

model = SmallCNN().cuda()  # expect: hardcoded-device
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    model.train()
    for images, labels in train_loader:
        images, labels = images.to("cuda"), labels.to("cuda")  # expect: hardcoded-device, hardcoded-device
        loss = F.cross_entropy(model(images), labels)
        loss.backward()  # expect: untracked-training, missing-seed
        optimizer.step()  # expect: missing-zero-grad
    print(f"epoch {epoch} loss {loss.item():.4f}")  # expect: print-logging


def evaluate(net, loader):
    correct = 0
    for images, labels in loader:
        images, labels = images.cuda(), labels.cuda()  # expect: hardcoded-device, hardcoded-device
        outputs = net(images)  # expect: missing-eval-mode
        correct += (outputs.argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)


print("test accuracy", evaluate(model, test_loader))  # expect: print-logging
torch.save(model.state_dict(), "mnist_cnn.pt")  # expect: unversioned-artifact
