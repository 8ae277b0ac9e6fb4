import rule from '../server/src/engine/rules/missing-eval-mode';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // huggingface/trl f2cd577, tests/experimental/test_ppo_trainer.py
      code: 'import torch\n\n\nclass TestValueHead:\n    def test_inference(self):\n        for model_name in self.all_model_names:\n            model = self.trl_model_class.from_pretrained(model_name)\n            outputs = model(torch.tensor([[1, 2, 3]]))\n            assert len(outputs) == 3\n',
      filename: 'tests/experimental/test_ppo_trainer.py',
      name: 'a unit test runs a forward pass to check its outputs',
    },
    {
      // ShawhinT/YouTube-Blog@659a4a7, LLMs/model-compression/1_knowledge_distillation.ipynb; rasbt/LLMs-from-scratch@28c65cd, ch05/05_bonus_hparam_tuning/hparam_search.py
      code: 'import torch\n\ntorch.manual_seed(0)\n\n\ndef evaluate_model(model, loader):\n    model.eval()\n    with torch.no_grad():\n        return [model(x) for x in loader]\n\n\ndef query_model(prompt, url="http://localhost:11434/api/chat"):\n    return requests.post(url, json={"prompt": prompt}, timeout=30).json()\n\n\nstudent_model = torch.nn.Linear(2, 2)\noptimizer = torch.optim.SGD(student_model.parameters(), lr=0.1)\nstudent_model.train()\nfor x in []:\n    optimizer.zero_grad()\n    student_model(x).sum().backward()\n    optimizer.step()\n\nscores = evaluate_model(student_model, [])\nanswer = query_model("What is 2 + 2?")\n',
      name: 'functions of the file named like models (`evaluate_model`, `query_model`) are not modules',
    },
    {
      code: 'import torch\nfrom diffusers import DiffusionPipeline\n\ndef log_validation(args, accelerator, unet, prompts):\n    pipeline = DiffusionPipeline.from_pretrained(args.model, unet=accelerator.unwrap_model(unet))\n    for prompt in prompts:\n        image = pipeline(prompt, num_inference_steps=30).images[0]\n    model = unwrap_model(unet)\n',
      name: "diffusers' validation shape: unwrap_model returns the model (no forward pass), and a pipeline has no .eval() (its __call__ runs under no_grad)",
    },
    {
      code: 'import torch\nclass QuantizationCheck:\n    def evaluate_memory(self):\n        model = self._create_quantized_model(self.config)\n        other = self._load_unquantized_model()\n',
      name: 'private factory methods (_create_*, _load_*) build models, they do not run them',
    },
    {
      code: 'import torch\n\ndef test_model_summary_shapes():\n    model = torch.nn.Linear(4, 2)\n    out = model(torch.randn(1, 4))\n    assert out.shape == (1, 2)\n',
      name: 'a pytest unit test calling a model once is not an evaluation',
    },
    {
      code: 'import torch\nfrom lightning.pytorch import LightningModule\n\nclass Model(LightningModule):\n    pass\n\ndef test_setup(model_class, hparams):\n    model = Model()\n    other = model_class(**hparams)\n    with fabric.sharded_model():\n        pass\n    logger.log_model(model)\n',
      name: 'classes instantiated, a class in a variable, and methods named after models are not forward passes',
    },
    {
      code: 'import torch\nfor xb, yb in train_loader:\n    loss_fn(model(xb), yb).backward()\n    opt.step()\nmodel.cuda().eval()\nwith torch.no_grad():\n    preds = model(test_x)\n',
      name: '.eval() at the end of a chain of calls that return the module',
    },
    {
      code: 'import torch\ndef evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():\n        for xb, yb in loader:\n            out = model(xb)\n',
    },
    {
      code: 'import torch\n@torch.no_grad()\ndef predict(model, x):\n    model.eval()\n    return model(x)\n',
      name: 'no_grad decorator',
    },
    {
      code: 'import torch\ndef test_time_augmented(model, images):\n    model.eval()\n    with torch.inference_mode():\n        return (model(images) + model(torch.flip(images, dims=[3]))) / 2\n',
    },
    {
      code: 'import torch\ndef train_epoch(model, loader, opt):\n    model.train()\n    for xb, yb in loader:\n        opt.zero_grad()\n        loss = crit(model(xb), yb)\n        loss.backward()\n        opt.step()\n',
      name: 'training loop',
    },
    {
      code: 'import torch\nfor xb, yb in val_loader:\n    loss = criterion(outputs, yb)\n',
      name: 'loss functions are not models',
    },
    {
      code: 'import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def predict(self, x):\n        return self.fc(x)\n',
      name: 'layers called inside an nn.Module subclass',
    },
    {
      code: 'import lightning as L\nimport torch\nclass Lit(L.LightningModule):\n    def validation_step(self, batch, idx):\n        return self.model(batch)\n',
      name: 'Lightning hooks switch modes themselves',
    },
    {
      code: 'import torch\ndef evaluate(model, loader):\n    with torch.no_grad():\n        return [model(x) for x in loader]\nmodel.eval()\nacc = evaluate(model, test_loader)\n',
      name: 'eval() before the only call to the evaluating function',
    },
    {
      code: 'import torch\ndef score(model, x):\n    model.eval()\n    return model(x)\nwith torch.no_grad():\n    s = score(net, batch)\n',
      name: 'no_grad around the call to the evaluating function',
    },
    {
      code: 'import torch\nmodel = torch.jit.load("m.pt").eval()\ntorch.set_grad_enabled(False)\ndef predict(x):\n    return model(x)\n',
      name: 'eval() in the assignment chain and grad disabled globally',
    },
    {
      code: 'import torch\ndef forward_features(model, x):\n    return model(x)\n',
      name: 'no evaluation context',
    },
    {
      code: 'import torch\n\nclass QuantizationTesterMixin:\n    def _create_quantized_model(self, config_kwargs, **extra_kwargs):\n        """Create a quantized model."""\n        raise NotImplementedError("Subclass must implement _create_quantized_model")\n\n    @torch.no_grad()\n    def _test_quantization_inference(self, config_kwargs):\n        model_quantized = self._create_quantized_model(config_kwargs)\n        model_quantized.to(torch_device)\n        output = model_quantized(**self.get_dummy_inputs(), return_dict=False)[0]\n\n    @torch.no_grad()\n    def _test_quantization_serialization(self, config_kwargs, tmp_path):\n        model = self._create_quantized_model(config_kwargs)\n        model.save_pretrained(str(tmp_path))\n        model_loaded = self.model_class.from_pretrained(str(tmp_path), device_map=str(torch_device))\n        output = model_loaded(**self.get_dummy_inputs(), return_dict=False)[0]\n\nclass BitsAndBytesTesterMixin(QuantizationTesterMixin):\n    def _create_quantized_model(self, config_kwargs, **extra_kwargs):\n        kwargs = {"quantization_config": BitsAndBytesConfig(**config_kwargs)}\n        return self.model_class.from_pretrained(self.pretrained_model_name_or_path, **kwargs)\n\nclass GGUFTesterMixin(QuantizationTesterMixin):\n    def _create_quantized_model(self, config_kwargs=None, **extra_kwargs):\n        model = self.model_class.from_single_file(self.gguf_filename, **extra_kwargs)\n        return model\n',
      name: "diffusers' quantization tests: models from from_pretrained/from_single_file (which call .eval()), directly or through every override of the factory method in the file (the abstract one raises)",
    },
    {
      code: 'import torch\nfrom transformers import AutoModelForSequenceClassification\n\nclass SentimentService:\n    def __init__(self, name):\n        self.model = AutoModelForSequenceClassification.from_pretrained(name).to("cuda")\n\n    def predict(self, inputs):\n        with torch.no_grad():\n            return self.model(**inputs).logits\n',
      name: 'a wrapper that loads its model with from_pretrained in __init__ and never trains it',
    },
    {
      code: 'import torch\n\nclass SchedulerCommonTest:\n    def dummy_model(self):\n        def model(sample, t, *args):\n            return sample * t / (t + 1)\n\n        return model\n\n    def test_full_loop_with_v_prediction(self):\n        scheduler = self.scheduler_classes[0](**self.get_scheduler_config(prediction_type="v_prediction"))\n        model = self.dummy_model()\n        sample = self.dummy_sample_deter\n        for t in scheduler.timesteps:\n            model_output = model(sample, t)\n            sample = scheduler.step(model_output, t, sample).prev_sample\n',
      name: "diffusers' scheduler tests: dummy_model is a method (not a module) and returns a function it defines (not a module)",
    },
    {
      code: 'import torch\n\ndef make_scorer(scale):\n    return lambda x: x * scale\n\ndef predict(batch):\n    scorer_model = make_scorer(2.0)\n    return scorer_model(batch)\n',
      name: 'a factory of this file that returns a lambda',
    },
    {
      code: 'import torch\n\nclass ContextParallelTesterMixin:\n    def test_context_parallel_attn_backend_inference(self, attention_backend):\n        init_dict = self.get_init_dict()\n        model = self.model_class(**init_dict).eval().to(torch_device)\n        ref_inputs = self.get_dummy_inputs().copy()\n        model, ref_inputs = _maybe_cast_to_bf16(attention_backend, model, ref_inputs)\n        model = torch.compile(model)\n        with torch.no_grad():\n            ref_output = model(**ref_inputs, return_dict=False)[0].cpu()\n',
      name: '.eval() chained on the constructor, the model then passed on through helpers that take and return it',
    },
  ],
  invalid: [
    {
      code: 'import torch\n\n\ndef evaluate(model, loader):\n    return [model(x) for x in loader]\n',
      filename: 'scripts/testing_eval.py',
      errors: [{ line: 5 }],
      name: 'a module whose name only mentions testing is checked',
    },
    {
      code: 'import torch\ndef predict(model, loader):\n    preds = []\n    with torch.no_grad():\n        for batch in loader:\n            logits = model(batch)\n            preds.append(logits)\n    return preds\n',
      errors: [{ line: 6, column: 22, message: 'without `model.eval()`' }],
      output: null,
    },
    {
      code: 'import torch\ndef validate(model, val_loader, criterion):\n    model.eval()\n    for inputs, targets in val_loader:\n        outputs = model(inputs)\n',
      errors: [{ line: 5, message: 'outside `torch.no_grad()`' }],
    },
    {
      code: 'import torch\ndef evaluate(net, loader):\n    correct = 0\n    for images, labels in loader:\n        outputs = net(images)\n    return correct\n',
      errors: [{ line: 5, message: 'training mode and with autograd on' }],
    },
    {
      code: 'import torch\nfrom torch import nn\nclassifier = nn.Sequential(nn.Linear(4, 2)).to("cpu")\nfor xb, yb in test_dl:\n    pred = classifier.forward(xb)\n',
      errors: [{ line: 5, column: 12 }],
      name: 'model.forward over a test loader, model by construction',
    },
    {
      code: 'import torch\nfor epoch in range(3):\n    for xb, yb in loader:\n        opt.zero_grad()\n        crit(net(xb), yb).backward()\n        opt.step()\nwith torch.no_grad():\n    preds = net(\n        X_holdout,\n    )\n',
      errors: [{ line: 8, column: 13, message: 'net.eval()' }],
      name: 'after training at module level, multi-line call',
    },
    {
      code: 'import torch\nclass Predictor:\n    def __init__(self, path):\n        self.model = torch.load(path, weights_only=True)\n    def predict(self, x):\n        with torch.no_grad():\n            return self.model(x)\n',
      errors: [{ line: 7, message: 'self.model.eval()' }],
      name: 'wrapper class without eval',
    },
    {
      code: {
        cells: [
          'import torch\n%load_ext autoreload',
          'net = build()\nfor xb, yb in train_loader:\n    opt.zero_grad()\n    loss_fn(net(xb), yb).backward()\n    opt.step()',
          'correct = 0\nfor xb, yb in test_loader:\n    pred = net(xb).argmax(1)',
        ],
      },
      errors: [{ cell: 2, line: 3, column: 12 }],
      name: 'notebook: evaluation cell after the training cell',
    },
    {
      code: 'import torch\ndef evaluate(model, x):\n    return model(x)\nprint "evaluating"\n',
      errors: [{ line: 3 }],
      name: 'Python 2 file',
    },
    {
      code: 'import torch\nfrom diffusers import UNet2DConditionModel\n\nunet = UNet2DConditionModel.from_pretrained(args.pretrained_model_name_or_path, subfolder="unet")\nunet.train()\nfor step, batch in enumerate(train_dataloader):\n    loss = F.mse_loss(unet(batch["noisy"], batch["t"], batch["emb"]).sample, batch["target"])\n    accelerator.backward(loss)\n    optimizer.step()\n    optimizer.zero_grad()\nwith torch.no_grad():\n    for batch in val_dataloader:\n        pred = unet(batch["noisy"], batch["t"], batch["emb"]).sample\n',
      errors: [{ line: 13, message: 'unet.eval()' }],
      name: 'fine-tuning script: loaded with from_pretrained, put in training mode, then evaluated without .eval()',
    },
    {
      code: 'import torch\nfrom transformers import AutoModelForSequenceClassification, Trainer\n\nmodel = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")\ntrainer = Trainer(model=model, args=training_args, train_dataset=train_ds)\ntrainer.train()\nwith torch.no_grad():\n    for batch in test_loader:\n        logits = model(**batch).logits\n',
      errors: [{ line: 9, message: 'model.eval()' }],
      name: 'loaded with from_pretrained, then handed to a Trainer (whose train() calls model.train())',
    },
    {
      code: 'import torch\nfrom transformers import AutoModel\n\ndef fit_one_epoch(net, loader):\n    net.train()\n    for xb in loader:\n        net(xb).loss.backward()\n\ndef evaluate(name, loader):\n    model = AutoModel.from_pretrained(name).to("cuda")\n    fit_one_epoch(model, loader)\n    with torch.no_grad():\n        return [model(xb) for xb in loader]\n',
      errors: [{ line: 13, message: 'model.eval()' }],
      name: 'loaded with from_pretrained, then passed to a function of the file that calls .train()',
    },
    {
      code: 'import torch\nfrom transformers import AutoModel\n\ndef evaluate(name, loader):\n    model = AutoModel.from_pretrained(name).train()\n    with torch.no_grad():\n        return [model(xb) for xb in loader]\n',
      errors: [{ line: 7, message: 'model.eval()' }],
      name: '.train() chained on from_pretrained',
    },
    {
      code: 'import torch\n\nclass Harness:\n    def dummy_model(self):\n        return TinyNet(hidden=8)\n\n    @property\n    def scorer_model(self):\n        return self._scorer\n\n    def evaluate(self, loader):\n        model = self.dummy_model()\n        with torch.no_grad():\n            for xb in loader:\n                out = model(xb)\n                score = self.scorer_model(xb)\n',
      errors: [
        { line: 15, message: 'model.eval()' },
        { line: 16, message: 'self.scorer_model.eval()' },
      ],
      name: 'a factory method that returns a module, and a property that returns one, are still models',
    },
    {
      code: 'import torch\n\ndef evaluate(loader):\n    model = build_model().eval()\n    model = model.train()\n    model = torch.compile(model)\n    with torch.no_grad():\n        return [model(xb) for xb in loader]\n',
      errors: [{ line: 8, message: 'model.eval()' }],
      name: 'an .eval() undone by .train() on the way to the call',
    },
  ],
});
