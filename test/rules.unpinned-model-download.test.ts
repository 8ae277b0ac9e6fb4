import rule from '../server/src/engine/rules/unpinned-model-download';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // huggingface/trl f2cd577, tests/test_sft_trainer.py: a tiny fixture model of the test suite.
      code: 'from transformers import AutoModelForCausalLM\n\n\ndef test_train():\n    model = AutoModelForCausalLM.from_pretrained("trl-internal-testing/tiny-Qwen2ForCausalLM-2.5")\n',
      filename: 'tests/test_sft_trainer.py',
      name: 'a unit test loads its fixture model',
    },
    {
      code: 'import unittest\nfrom datasets import load_dataset\n\n\nclass DataTest(unittest.TestCase):\n    def test_load(self):\n        load_dataset("trl-internal-testing/zen", "standard_language_modeling")\n',
      filename: 'tests/data_checks.py',
      name: 'a module that imports unittest',
    },
    {
      code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")\n',
    },
    {
      code: 'from transformers import AutoTokenizer\nMODEL_ID = "meta-llama/Llama-3.1-8B-Instruct"\nREVISION = "0e9e39f"\ntok = AutoTokenizer.from_pretrained(MODEL_ID, revision=REVISION)\n',
      name: 'id and revision in module constants',
    },
    {
      code: 'from transformers import AutoModelForSequenceClassification\nmodel = AutoModelForSequenceClassification.from_pretrained("./outputs/checkpoint-500")\n',
      name: 'a local checkpoint',
    },
    { code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("models/finetuned-bert")\n', name: 'a project folder' },
    { code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("/opt/ml/model")\n' },
    {
      code: {
        cells: [
          '!python finetune.py --output_dir output_qwen_merged',
          'from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained("output_qwen_merged", trust_remote_code=True)',
        ],
      },
      name: 'the output folder of a fine-tuning run',
    },
    {
      code: {
        cells: [
          'new_model = "llama-persian-catalog-generator"\nfrom transformers import AutoModelForCausalLM, AutoTokenizer, TrainingArguments\nfrom peft import PeftModel\ntraining_arguments = TrainingArguments(output_dir=new_model, num_train_epochs=1)\n',
          'trainer.train()\ntrainer.model.save_pretrained(new_model)\n',
          'tokenizer = AutoTokenizer.from_pretrained(new_model)\nmodel = PeftModel.from_pretrained(base_model, new_model)\n',
        ],
      },
      name: 'a folder the notebook itself trained into and saved (huggingface/cookbook)',
    },
    {
      code: 'from transformers import AutoModel\nSAVE_DIR = "artifacts/run-3/best"\nmodel = AutoModel.from_pretrained(SAVE_DIR)\n',
      name: 'a constant that holds a local path',
    },
    { code: 'from transformers import AutoModel\ndef load(name):\n    return AutoModel.from_pretrained(name)\n', name: 'an id from a parameter' },
    { code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained(args.model_name_or_path)\n', name: 'an id from the command line' },
    { code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("gpt2", local_files_only=True)\n' },
    { code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("gpt2", **hub_kwargs)\n', name: 'kwargs may carry the revision' },
    { code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("gpt2", revision=cfg.revision)\n', name: 'a revision from configuration' },
    { code: 'from transformers import pipeline\nclassifier = pipeline("sentiment-analysis")\n', name: 'pipeline(task) without a model' },
    { code: 'from datasets import load_dataset\nds = load_dataset("csv", data_files={"train": "train.csv"})\n', name: 'a packaged builder' },
    { code: 'from datasets import load_dataset\nds = load_dataset("parquet", data_files="data/*.parquet")\n' },
    {
      code: 'from huggingface_hub import hf_hub_download\npath = hf_hub_download(repo_id="TheBloke/Llama-2-7B-GGUF", filename="llama-2-7b.Q4_K_M.gguf", revision="b4e04e128f421c93a5f1e34ac4d7ca9b0af47b80")\n',
    },
    { code: 'import torch\nmodel = torch.hub.load("pytorch/vision", "resnet18")\n', name: 'torch.hub is another hub' },
    {
      code: 'class Model:\n    @classmethod\n    def from_pretrained(cls, name):\n        return cls()\nm = Model.from_pretrained("gpt2")\n',
      name: 'a local from_pretrained',
    },
  ],
  invalid: [
    {
      code: 'from transformers import AutoModel\n\n\ndef test_remote():\n    AutoModel.from_pretrained("someone/custom-arch", trust_remote_code=True)\n',
      filename: 'tests/test_remote.py',
      errors: [{ line: 5, severity: 'error', message: 'trust_remote_code=True' }],
      name: 'remote code in a test still runs in CI, beside its secrets',
    },
    {
      code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("bert-base-uncased")\n',
      filename: 'src/testing_utils_server.py',
      errors: [{ line: 2 }],
      name: 'a module whose folder or name only mentions testing is not a test module',
    },
    {
      code: 'from transformers import AutoModel, TrainingArguments\nargs = TrainingArguments(output_dir="bert-finetuned")\nmodel = AutoModel.from_pretrained("bert-base-uncased")\n',
      errors: [{ line: 3 }],
      output: null,
      name: 'the base model of a run that writes elsewhere',
    },
    {
      code: 'from unsloth import FastLanguageModel\n\nmodel, tokenizer = FastLanguageModel.from_pretrained(\n    model_name="unsloth/Llama-3.2-3B-Instruct",\n    max_seq_length=2048,\n    load_in_4bit=True,\n)\npinned, _ = FastLanguageModel.from_pretrained(model_name="unsloth/Llama-3.2-3B-Instruct", revision="0cb88a4f764b7a12671c53f0838cd831a0843b95")\n',
      errors: [{ line: 3, message: '`FastLanguageModel.from_pretrained(model_name="unsloth/Llama-3.2-3B-Instruct")`' }],
      name: "unsloth's from_pretrained(model_name=...) downloads from the Hub (Shubhamsaboo/awesome-llm-apps)",
    },
    {
      code: 'from transformers import AutoModelForCausalLM, AutoTokenizer\n\ntokenizer = AutoTokenizer.from_pretrained("mistralai/Mistral-7B-Instruct-v0.2")\nmodel = AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-Instruct-v0.2", device_map="auto")\n',
      errors: [
        { line: 3, column: 13, message: '`AutoTokenizer.from_pretrained("mistralai/Mistral-7B-Instruct-v0.2")`' },
        { line: 4, column: 9, message: 'no `revision=` pins it' },
      ],
      output: null,
    },
    {
      code: 'from transformers import AutoModel\nMODEL_PATH = "THUDM/chatglm-6b"\nmodel = AutoModel.from_pretrained(MODEL_PATH, trust_remote_code=True).half().cuda()\n',
      errors: [{ line: 3, message: 'with `trust_remote_code=True`, whatever code is pushed', severity: 'error' }],
      name: 'trust_remote_code through a constant id',
    },
    {
      code: 'import transformers\nmodel = transformers.AutoModel.from_pretrained("bert-base-uncased", revision="main")\n',
      errors: [{ line: 2, message: '`revision="main"` is a branch or tag that moves' }],
    },
    {
      code: 'from transformers import pipeline\nsummarizer = pipeline("summarization", model="facebook/bart-large-cnn")\n',
      errors: [{ line: 2, message: '`pipeline(model="facebook/bart-large-cnn")`' }],
    },
    {
      code: 'from sentence_transformers import SentenceTransformer\nembedder = SentenceTransformer("all-MiniLM-L6-v2")\n',
      errors: [{ line: 2, message: '`SentenceTransformer("all-MiniLM-L6-v2")`' }],
    },
    {
      code: 'from huggingface_hub import snapshot_download\nsnapshot_download(repo_id="BAAI/bge-large-en-v1.5", local_dir="models/bge")\n',
      errors: [{ line: 2, message: 'snapshot_download' }],
    },
    {
      code: 'from datasets import load_dataset\nds = load_dataset("imdb", split="train")\n',
      errors: [{ line: 2, message: 'changes the data you train and evaluate on' }],
    },
    {
      code: 'from datasets import load_dataset\nptb = load_dataset("ptb_text_only", "penn_treebank", split="test")\n',
      errors: [{ line: 2 }],
      name: 'a legacy dataset name with an underscore',
    },
    {
      code: 'from peft import PeftModel\nmodel = PeftModel.from_pretrained(base_model, "tloen/alpaca-lora-7b")\n',
      errors: [{ line: 2, message: '`PeftModel.from_pretrained("tloen/alpaca-lora-7b")`' }],
      name: 'peft: the adapter id is the second argument',
    },
    {
      code: 'from diffusers import StableDiffusionPipeline\npipe = StableDiffusionPipeline.from_pretrained("runwayml/stable-diffusion-v1-5", torch_dtype=torch.float16)\n',
      errors: [{ line: 2 }],
    },
    {
      code: { cells: ['!pip install transformers', 'from transformers import AutoTokenizer', 'tok = AutoTokenizer.from_pretrained("gpt2")'] },
      errors: [{ cell: 2, line: 1 }],
      name: 'notebook',
    },
  ],
});
