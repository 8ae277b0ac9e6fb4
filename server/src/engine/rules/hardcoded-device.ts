import { defineRule } from '../rule';
import { keywordArgument, positionalArguments } from '../fixes';
import type { SyntaxNode } from '../parser';
import { literalString, resolveValue } from '../ml-helpers';

/** Calls that take a device as their first argument. */
const DEVICE_FUNCTIONS = new Set(['torch.device', 'torch.set_default_device', 'torch.cuda.device']);
/** Checks that show the file already handles a machine without a GPU. */
const AVAILABILITY_CHECKS = new Set(['torch.cuda.is_available', 'torch.cuda.device_count']);
const CUDA = /^cuda(:\d+)?$/;

export default defineRule({
  name: 'hardcoded-device',
  category: 'observability',
  severity: 'warning',
  summary: '`.cuda()`, `.to("cuda")`, `torch.device("cuda")` or `device="cuda"` in a file that never checks `torch.cuda.is_available()`.',
  // Libraries built on PyTorch that place models with `.to("cuda")` too.
  requiresImport: ['torch', 'transformers', 'sentence_transformers', 'accelerate', 'lightning', 'pytorch_lightning', 'torchvision', 'timm', 'diffusers', 'peft', 'trl', 'ultralytics'],
  docs: {
    what: 'In a file that imports PyTorch (or a library built on it, such as `transformers`) and never calls `torch.cuda.is_available()`, flags every hard-coded GPU placement: `.cuda()` calls, `.to("cuda")`, `torch.device("cuda:0")`, `torch.set_default_device("cuda")`, a `device="cuda"` keyword argument, and a `"cuda"` string assigned to a name that says device.',
    why: 'The code runs on the workstation with a GPU and dies with `RuntimeError: Found no NVIDIA driver` (or `Torch not compiled with CUDA enabled`) on a CPU-only CI runner, a laptop, or the serving container that was sized without a GPU. Choosing the device once, from what the machine has or from configuration, keeps the same code runnable everywhere.',
    example: 'import torch\n\nmodel = Net().cuda()\nbatch = batch.to("cuda")',
    useInstead: 'import torch\n\ndevice = torch.device("cuda" if torch.cuda.is_available() else "cpu")\nmodel = Net().to(device)\nbatch = batch.to(device)',
    notes: 'The check is per file, as the catalog defines it: one `torch.cuda.is_available()` (or `torch.cuda.device_count()`) anywhere in the file or notebook means the author handles the CPU case, and nothing in it is flagged. A device string reached through a constant (`DEVICE = "cuda"` then `.to(DEVICE)`) is reported once, at the literal. A device chosen from configuration or an argument (`.to(args.device)`) is not flagged. TensorFlow\'s `tf.device("/GPU:0")` is not flagged: TensorFlow falls back to the CPU by default (soft placement). Only CUDA is checked; `"mps"` and `"cpu"` are not.',
  },
  create(context) {
    const { model } = context;
    const reported = new Set<number>();
    const devices: { start: number; end: number; message: string }[] = [];

    /** The `"cuda"` literal an expression is or holds, if any. */
    const cudaLiteral = (expr: SyntaxNode | undefined): SyntaxNode | undefined => {
      if (!expr) return undefined;
      const value = resolveValue(model, expr);
      const text = literalString(value);
      return text !== undefined && CUDA.test(text) ? value : undefined;
    };
    const note = (node: SyntaxNode | undefined, message: string): void => {
      if (node) devices.push({ start: node.startIndex, end: node.endIndex, message });
    };

    return {
      call(call) {
        const method = model.method(call);
        const fn = method?.name === 'cuda' ? model.functionOf(call) : null;
        if (fn && fn.type === 'attribute' && !model.qualifiedName(fn)?.startsWith('torch.cuda')) {
          // Range: the `cuda()` part, not the receiver.
          devices.push({
            start: fn.childForFieldName('attribute')!.startIndex,
            end: call.endIndex,
            message: '`.cuda()` with no `torch.cuda.is_available()` check: fails on a machine without a GPU; choose the device once and use `.to(device)`',
          });
        } else if (method?.name === 'to') {
          const target = keywordArgument(call, 'device') ?? positionalArguments(call)[0];
          note(cudaLiteral(target), '`.to("cuda")` with no `torch.cuda.is_available()` check: fails on a machine without a GPU; use `torch.device("cuda" if torch.cuda.is_available() else "cpu")`');
          if (keywordArgument(call, 'device')) return;
        } else {
          const qualified = model.callee(call);
          if (qualified && DEVICE_FUNCTIONS.has(qualified)) {
            note(cudaLiteral(keywordArgument(call, 'type') ?? keywordArgument(call, 'device') ?? positionalArguments(call)[0]), `\`${qualified}("cuda")\` with no \`torch.cuda.is_available()\` check: fails on a machine without a GPU; use \`"cuda" if torch.cuda.is_available() else "cpu"\``);
            return;
          }
        }
        note(cudaLiteral(keywordArgument(call, 'device')), '`device="cuda"` with no `torch.cuda.is_available()` check: fails on a machine without a GPU; pass a device chosen from what the machine has');
      },
      assignment(assignment) {
        const left = assignment.childForFieldName('left');
        const right = assignment.childForFieldName('right');
        if (left?.type !== 'identifier' && left?.type !== 'attribute') return;
        if (!/device/i.test(left.text) || !right) return;
        const text = literalString(right);
        if (text !== undefined && CUDA.test(text)) {
          note(right, `\`${left.text} = "${text}"\` with no \`torch.cuda.is_available()\` check: fails on a machine without a GPU; use \`"cuda" if torch.cuda.is_available() else "cpu"\``);
        }
      },
      'file:end'() {
        if (model.callsTo(AVAILABILITY_CHECKS).length > 0) return;
        devices.sort((a, b) => a.start - b.start);
        for (const device of devices) {
          if (reported.has(device.start)) continue;
          reported.add(device.start);
          context.report(device);
        }
      },
    };
  },
});
