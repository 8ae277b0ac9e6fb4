import rule from '../server/src/engine/rules/hardcoded-device';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // karpathy/nanoGPT 3adf61e, train.py: defaults that configurator.py rebinds from the command line.
      code: "import torch\ndevice = 'cuda' # examples: 'cpu', 'cuda', 'cuda:0'\nexec(open('configurator.py').read()) # overrides from command line or config file\nmodel = torch.nn.Linear(2, 2).to(device)\n",
      name: 'a module-level default an exec(...) may rebind',
    },
    {
      // lucidrains/denoising-diffusion-pytorch faed4db, denoising_diffusion_pytorch/attend.py
      code: 'import torch\ndef gpu_props(flash):\n    if not torch.cuda.is_available() or not flash:\n        return None\n    return torch.cuda.get_device_properties(torch.device("cuda"))\n',
      name: 'after `if not torch.cuda.is_available() or not flash: return`',
    },
    {
      code: `import torch\ndef f(flash):\n    if not torch.cuda.is_available()${' or x'.repeat(50_000)}:\n        return\n    return torch.device("cuda")\n`,
      name: 'a crafted chain of 50,000 `or`s in the early exit (the recursive walk exhausted the stack)',
    },
    {
      // bentoml/BentoML 32230a5, src/bentoml/_internal/frameworks/detectron.py
      code: 'import torch.nn as nn\nfrom .compat import torch\nclass Runner:\n    def __init__(self):\n        if torch.cuda.is_available():\n            self.device_id = "cuda"\n        else:\n            self.device_id = "cpu"\n',
      name: 'torch re-exported by a module of the project, checked',
    },
    {
      code: 'import torch\nuse_accel = not args.no_accel and torch.accelerator.is_available()\ndevice = torch.accelerator.current_accelerator() if use_accel else torch.device("cpu")\nif device.type == "cuda":\n    model = torch.nn.DataParallel(model).cuda()\nif use_accel:\n    images = images.cuda(args.gpu, non_blocking=True)\n',
      name: 'the accelerator API and a branch on device.type (pytorch/examples imagenet)',
    },
    {
      code: 'import torch\nDEVICE = "cuda"\nDEVICE_ID = "0"\nCUDA_DEVICE = f"{DEVICE}:{DEVICE_ID}" if DEVICE_ID else DEVICE\n\ndef torch_gc():\n    if torch.cuda.is_available():\n        with torch.cuda.device(CUDA_DEVICE):\n            torch.cuda.empty_cache()\n',
      name: 'a device constant used only under the check (ChatGLM api.py)',
    },
    {
      code: 'import torch\nuse_cuda = not args.no_cuda and torch.cuda.is_available()\nif use_cuda:\n    model.cuda()\n',
      name: 'guard through a name that holds the check',
    },
    {
      code: 'import torch, sys\nif not torch.cuda.is_available():\n    sys.exit("this script needs a GPU")\nmodel = model.cuda()\nx = x.to("cuda")\n',
      name: 'early exit when there is no GPU',
    },
    { code: 'import torch\nassert torch.cuda.is_available(), "GPU required"\nmodel.to("cuda")\n', name: 'assert of the check' },
    {
      code: 'import torch\nif torch.cuda.is_available():\n    device = "cuda"\nelse:\n    device = "cpu"\n',
      name: 'device literal chosen in the guarded branch',
    },
    { code: 'import torch\ndevice = torch.device("cuda" if torch.cuda.is_available() else "cpu")\nmodel = Net().to(device)\n' },
    { code: 'import torch\ndef warm(model):\n    if torch.cuda.is_available():\n        model = model.cuda()\n    return model\n', name: 'guarded .cuda()' },
    { code: 'import torch\nif torch.cuda.device_count() > 0:\n    x = x.to("cuda")\n', name: 'device_count is a check too' },
    { code: 'import torch\nx = x.to(args.device)\ny = torch.device(os.environ["DEVICE"])\n', name: 'device from configuration' },
    { code: 'import torch\nx = x.to("cpu")\nm = torch.device("mps")\nt = torch.zeros(3, device="cpu")\n' },
    { code: 'model = Net().cuda()\n', name: 'no torch import: the guard skips the file' },
    { code: 'import torch\nx = x.to(torch.float16)\nn = torch.cuda.device_count\n' },
    {
      code: { cells: ['import torch\nuse_gpu = torch.cuda.is_available()', 'model = model.cuda() if use_gpu else model'] },
      name: 'check in an earlier notebook cell',
    },
  ],
  invalid: [
    {
      code: "import torch\nexec(open('configurator.py').read())\ndevice = 'cuda'\nmodel = torch.nn.Linear(2, 2).to(device)\n",
      errors: [{ line: 3 }],
      name: 'a default assigned after the exec(...) is what runs',
    },
    {
      code: 'import torch\ndef gpu_props(flash):\n    if torch.cuda.is_available() or not flash:\n        return None\n    return torch.device("cuda")\n',
      errors: [{ line: 5 }],
      name: 'an early exit on `is_available() or …` does not make the GPU certain',
    },
    {
      code: 'import torch\ndef report():\n    print(torch.cuda.is_available())\n\nmodel = Net().cuda()\nbatch = batch.to("cuda")\n',
      errors: [
        { line: 5, column: 15 },
        { line: 6, column: 18 },
      ],
      name: 'an unrelated availability check elsewhere does not guard',
    },
    {
      code: 'import torch\nif torch.cuda.is_available():\n    torch.backends.cudnn.benchmark = True\nmodel = model.to("cuda:0")\n',
      errors: [{ line: 4, column: 18 }],
      name: 'a check that guards something else',
    },
    {
      code: 'import torch\nmodel = SmallCNN().cuda()\n',
      errors: [{ line: 2, column: 20, message: '`.cuda()`' }],
      output: null,
    },
    {
      code: 'import torch\nimages, labels = images.to("cuda"), labels.to("cuda:1")\n',
      errors: [
        { line: 2, column: 28 },
        { line: 2, column: 47 },
      ],
    },
    {
      code: 'from torch import device as dev\nimport torch\nd = dev("cuda:0")\nnoise = torch.randn(4, 128, device="cuda")\n',
      errors: [
        { line: 3, column: 9, message: 'torch.device' },
        { line: 4, column: 36, message: 'device="cuda"' },
      ],
    },
    {
      code: 'import torch\nDEVICE = "cuda"\ndef move(x):\n    return x.to(DEVICE)\ny = torch.ones(2, device=DEVICE)\n',
      errors: [{ line: 2, column: 10 }],
      name: 'a constant used as the device is reported once, at its literal',
    },
    {
      code: 'import torch\nGPU = "cuda"\nmodel.to(GPU)\n',
      errors: [{ line: 2, column: 7 }],
      name: 'a constant without "device" in its name reached through .to()',
    },
    {
      code: 'import torch.nn as nn\nnet = (\n    nn.Sequential(nn.Linear(4, 2))\n    .cuda()\n)\n',
      errors: [{ line: 4, column: 6 }],
      name: 'method chain over several lines',
    },
    {
      code: 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("bert-base-uncased")\nmodel.to("cuda")\n',
      errors: [{ line: 3, column: 10 }],
      name: 'transformers without a torch import',
    },
    {
      code: 'import torch\nx = x.to(device="cuda")\n',
      errors: [{ line: 2, column: 17 }],
    },
    {
      code: { cells: ['%matplotlib inline\nimport torch', '!nvidia-smi\nnet = build().cuda()', 'pred = net(xb.cuda())'] },
      errors: [
        { cell: 1, line: 2, column: 15 },
        { cell: 2, line: 1, column: 15 },
      ],
      name: 'notebook with magics',
    },
    {
      code: 'import torch\nprint "moving to gpu"\nmodel = model.cuda()\n',
      errors: [{ line: 3 }],
      name: 'Python 2 file',
    },
  ],
});
