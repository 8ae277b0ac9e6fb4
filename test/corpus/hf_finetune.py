"""Fine-tunes a sentiment model on the support-ticket labels."""
from datasets import load_dataset
from huggingface_hub import login
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

HF_TOKEN = "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"  # expect: hardcoded-secret
login(token=HF_TOKEN)

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")  # expect: unpinned-model-download
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=3)  # expect: unpinned-model-download
model.to("cuda")  # expect: hardcoded-device

raw = load_dataset("csv", data_files={"train": "data/tickets_train.csv", "test": "data/tickets_test.csv"})
encoded = raw.map(lambda batch: tokenizer(batch["text"], truncation=True, padding="max_length"), batched=True)

args = TrainingArguments(output_dir="outputs", num_train_epochs=3, per_device_train_batch_size=16, seed=13)
trainer = Trainer(model=model, args=args, train_dataset=encoded["train"], eval_dataset=encoded["test"])
trainer.train()  # expect: untracked-training
model.save_pretrained("models/ticket-sentiment")  # expect: unversioned-artifact
tokenizer.save_pretrained("models/ticket-sentiment")  # ok: unversioned-artifact
