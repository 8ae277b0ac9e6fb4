import rule from '../server/src/engine/rules/missing-zero-grad';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'import torch\n\ndef test_callback_after_step():\n    model = torch.nn.Linear(2, 2)\n    opt = torch.optim.SGD(model.parameters(), lr=0.1)\n    model(torch.randn(2, 2)).sum().backward()\n    opt.step()\n',
      name: 'a pytest test steps once',
    },
    {
      code: 'import torch\nfor xb, yb in loader:\n    optimizer.zero_grad()\n    loss = loss_fn(model(xb), yb)\n    loss.backward()\n    optimizer.step()\n',
    },
    {
      code: 'import torch\nfor xb, yb in loader:\n    loss = loss_fn(model(xb), yb)\n    loss.backward()\n    optimizer.step()\n    optimizer.zero_grad(set_to_none=True)\n',
      name: 'zeroed after the step',
    },
    {
      code: 'import torch\nfor step, (x, y) in enumerate(loader):\n    loss = crit(model(x), y) / 4\n    loss.backward()\n    if (step + 1) % 4 == 0:\n        optimizer.step()\n        optimizer.zero_grad()\n',
      name: 'gradient accumulation',
    },
    {
      code: 'import torch\ndef reset(opt):\n    opt.zero_grad()\nfor x, y in loader:\n    reset(optimizer)\n    crit(model(x), y).backward()\n    optimizer.step()\n',
      name: 'a helper in the same file zeroes',
    },
    {
      code: 'import torch\nfor x, y in loader:\n    model.zero_grad()\n    crit(model(x), y).backward()\n    optimizer.step()\n',
      name: 'model.zero_grad()',
    },
    {
      code: 'import torch\nfor x, y in loader:\n    for p in model.parameters():\n        p.grad = None\n    crit(model(x), y).backward()\n    opt.step()\n',
      name: 'grads set to None by hand',
    },
    {
      code: 'import torch\nfor x, y in loader:\n    loss = crit(model(x), y)\n    scheduler.step()\n',
      name: 'no backward: not a training loop',
    },
    {
      code: 'import torch\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = crit(model(x), y)\n    loss.backward()\n    optimizer.step()\n    scheduler.step()\n',
      name: 'scheduler step in a zeroing loop',
    },
    {
      code: 'import torch\ndef train_step(batch):\n    loss = compute(batch)\n    loss.backward()\n    optimizer.step()\nfor batch in loader:\n    optimizer.zero_grad()\n    train_step(batch)\n',
      name: 'step function whose caller loop zeroes',
    },
    {
      code: 'import gym\nfor _ in range(10):\n    obs, reward, done, info = env.step(action)\n    loss.backward()\n',
      name: 'no torch import',
    },
  ],
  invalid: [
    {
      code: 'import torch\nfor epoch in range(5):\n    for images, labels in train_loader:\n        loss = F.cross_entropy(model(images), labels)\n        loss.backward()\n        optimizer.step()\n',
      errors: [{ line: 6, column: 9, message: '`optimizer.step()` in a training loop that never zeroes gradients' }],
      output: null,
    },
    {
      code: 'import torch\noptimizer.zero_grad()\nfor x, y in loader:\n    crit(model(x), y).backward()\n    optimizer.step()\n',
      errors: [{ line: 5 }],
      name: 'zeroed once before the loop only',
    },
    {
      code: 'import torch\nfor epoch in range(3):\n    opt.zero_grad()\n    for x, y in loader:\n        crit(model(x), y).backward()\n        opt.step()\n',
      errors: [{ line: 6 }],
      name: 'zeroed per epoch, stepped per batch',
    },
    {
      code: 'from torch import optim\nranker_opt = optim.Adam(params)\ndef train_ranker(pairs):\n    for pos, neg in pairs:\n        loss = (1 - ranker(pos) + ranker(neg)).mean()\n        loss.backward()\n        ranker_opt.step()\n        ranker_opt.step()\n',
      errors: [{ line: 7, message: 'ranker_opt.zero_grad()' }],
      name: 'reported once per loop',
    },
    {
      code: 'import torch\nscaler = torch.cuda.amp.GradScaler()\nfor x, y in loader:\n    scaler.scale(crit(model(x), y)).backward()\n    scaler.step(optimizer)\n    scaler.update()\n',
      errors: [{ line: 5, message: '`optimizer.zero_grad()`' }],
      name: 'mixed precision with a GradScaler',
    },
    {
      code: 'import torch\ndef train_step(batch):\n    loss = compute(batch)\n    loss.backward()\n    optimizer.step()\nfor batch in loader:\n    train_step(batch)\n',
      errors: [{ line: 5 }],
      name: 'training-step function',
    },
    {
      code: 'import torch\nwhile not done:\n    accelerator.backward(loss_of(model))\n    opt.step(\n    )\n',
      errors: [{ line: 4 }],
      name: 'while loop, accelerate backward, multi-line call',
    },
    {
      code: {
        cells: ['import torch\n%matplotlib inline', 'for xb, yb in train_loader:\n    loss = loss_fn(net(xb), yb)\n    loss.backward()\n    opt.step()'],
      },
      errors: [{ cell: 1, line: 4, column: 5 }],
      name: 'notebook',
    },
    {
      code: 'import torch\nfor x, y in loader:\n    crit(model(x), y).backward()\n    optimizer.step()\nprint "done"\n',
      errors: [{ line: 4 }],
      name: 'Python 2 file',
    },
  ],
});
