"""Scores the support-ticket model: the released checkpoint, then one fine-tuned a little further."""
import torch
from transformers import AutoModelForSequenceClassification

REVISION = "86b5e0934494bd15c9632b12f734a8a67f723594"


def load_classifier(name):
    return AutoModelForSequenceClassification.from_pretrained(name, revision=REVISION)


def score_release(loader):
    model = load_classifier("distilbert-base-uncased")
    with torch.no_grad():
        return [model(**batch).logits for batch in loader]  # ok: missing-eval-mode


def score_after_tuning(loader, optimizer_cls):
    model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", revision=REVISION)
    model.train()
    optimizer = optimizer_cls(model.parameters(), lr=1e-5)
    for batch in loader:
        model(**batch).loss.backward()  # expect: untracked-training
        optimizer.step()
        optimizer.zero_grad()
    with torch.no_grad():
        return [model(**batch).logits for batch in loader]  # expect: missing-eval-mode
