import rule from '../server/src/engine/rules/missing-eval-mode';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
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
  ],
  invalid: [
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
  ],
});
