import { defineRule } from '../rule';
import { keywordArgument, positionalArguments } from '../calls';
import type { SyntaxNode } from '../parser';
import { contains, descendants } from '../tree-queries';
import { literalString } from '../literals';
import { namesIn, resolveValue } from '../dataflow';
import { dottedText, type SemanticModel } from '../semantic';

/** Calls that take a device as their first argument. */
const DEVICE_FUNCTIONS = new Set(['torch.device', 'torch.set_default_device', 'torch.cuda.device']);
/** Checks that show the file already handles a machine without a GPU. */
const AVAILABILITY_CHECKS = new Set(['torch.cuda.is_available', 'torch.cuda.device_count', 'torch.accelerator.is_available', 'torch.accelerator.device_count']);
const CUDA = /^cuda(:\d+)?$/;
/** A flag that opts into the GPU (`args.cuda`, `use_gpu`): the placement under it is configured, not hard-coded. */
const GPU_FLAG = /^(use_?)?(cuda|gpu|gpus)$|^(use|has|have|is)_?(cuda|gpu)|cuda_?available|gpu_?available/i;
const STATEMENT_END = new Set(['expression_statement', 'return_statement', 'function_definition', 'class_definition', 'module', 'block']);

/** True when a block ends by leaving: `raise`, `return`, `sys.exit(...)`, `exit()`. */
function exitsEarly(model: SemanticModel, block: SyntaxNode): boolean {
  const last = block.lastNamedChild;
  if (!last) return false;
  if (last.type === 'raise_statement' || last.type === 'return_statement') return true;
  const expr = last.type === 'expression_statement' ? last.namedChild(0) : null;
  if (expr?.type !== 'call') return false;
  const callee = model.callee(expr) ?? model.calledName(expr);
  return callee !== undefined && /^(sys\.exit|exit|quit|os\._exit|builtins\.(exit|quit))$/.test(callee);
}

export default defineRule({
  name: 'hardcoded-device',
  category: 'observability',
  severity: 'warning',
  summary: '`.cuda()`, `.to("cuda")`, `torch.device("cuda")` or `device="cuda"` in a file that never checks `torch.cuda.is_available()`.',
  // Libraries built on PyTorch that place models with `.to("cuda")` too.
  requiresImport: [
    'torch',
    'transformers',
    'sentence_transformers',
    'accelerate',
    'lightning',
    'pytorch_lightning',
    'torchvision',
    'timm',
    'diffusers',
    'peft',
    'trl',
    'ultralytics',
  ],
  // The placements are found per statement (`collect`); the file's availability checks decide at `file:end`.
  scope: 'statement',
  docs: {
    what: 'In a file that imports PyTorch (or a library built on it, such as `transformers`) and never calls `torch.cuda.is_available()`, flags every hard-coded GPU placement: `.cuda()` calls, `.to("cuda")`, `torch.device("cuda:0")`, `torch.set_default_device("cuda")`, a `device="cuda"` keyword argument, and a `"cuda"` string assigned to a name that says device.',
    why: 'The code runs on the workstation with a GPU and dies with `RuntimeError: Found no NVIDIA driver` (or `Torch not compiled with CUDA enabled`) on a CPU-only CI runner, a laptop, or the serving container that was sized without a GPU. Choosing the device once, from what the machine has or from configuration, keeps the same code runnable everywhere.',
    example: 'import torch\n\nmodel = Net().cuda()\nbatch = batch.to("cuda")',
    useInstead: 'import torch\n\ndevice = torch.device("cuda" if torch.cuda.is_available() else "cpu")\nmodel = Net().to(device)\nbatch = batch.to(device)',
    notes:
      'The check must be about the placement: a placement inside an `if`, `elif`, `else` or conditional expression whose test is `torch.cuda.is_available()`/`torch.cuda.device_count()` (directly, through a name assigned from it such as `use_cuda = not args.no_cuda and torch.cuda.is_available()`, or a flag named for the GPU such as `args.cuda`), or after `assert torch.cuda.is_available()` or `if not torch.cuda.is_available(): sys.exit(...)` (also `if not torch.cuda.is_available() or not flash: return`) in the same function or at module level, is not flagged; so is `torch` re-exported by a module of the project (`from .compat import torch`). A check elsewhere in the file that guards something else (printing it, setting cuDNN flags) does not silence the rule. PyTorch\'s accelerator API (`torch.accelerator.is_available()`) counts as a check, and a branch on the chosen device (`if device.type == "cuda":`) guards what it holds. A device constant (`DEVICE = "cuda"`) whose every use is guarded, also through a name built from it, is not flagged. A device string reached through a constant (`DEVICE = "cuda"` then `.to(DEVICE)`) is reported once, at the literal. A device chosen from configuration or an argument (`.to(args.device)`) is not flagged, nor a module-level default that a later `exec(...)` may rebind (nanoGPT\'s `device = "cuda"` before `exec(open("configurator.py").read())`, which sets it from the command line). TensorFlow\'s `tf.device("/GPU:0")` is not flagged: TensorFlow falls back to the CPU by default (soft placement). Only CUDA is checked; `"mps"` and `"cpu"` are not.',
    realCode:
      'On the 61 repositories of the audit: 51 findings, all read, 51 true positives, precision 1.00 (ChatGLM-6B and ChatGLM2-6B demos, LLaVA\'s evaluation scripts and Qwen recipes that call `.cuda()` or `.to(device="cuda")` on load, FastChat, a Cog predictor, pytorch/examples RPC). The per-file check this rule had before hid two of them in ChatGLM-6B (an unrelated `is_available()` in `torch_gc`); the guard-aware check at first reported 7 false positives, fixed: branches on `device.type == "cuda"` with `torch.accelerator` in pytorch/examples imagenet, and a device constant used only under the check. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit && scripts/audit-checkout.sh <mirrors> /tmp/audit docs/audit/serving-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --list docs/audit/repos.txt,docs/audit/serving-repos.txt --verdicts docs/audit/serving-rules.csv --rules hardcoded-device` (verdicts with their reasons in `docs/audit/serving-rules.csv`, method in `docs/real-code-audit.md`).',
  },
  create(context) {
    const { model } = context;
    const reported = new Set<number>();
    /** Every identifier of the file by its text, indexed once per analysis on the first question (`usesGuarded`). */
    let byName: Map<string, SyntaxNode[]> | undefined;
    /** A placement on the GPU; `method`: the finding spans `cuda()` of `x.cuda()`, not the whole node. */
    type Device = { message: string; method?: boolean };

    /** The `"cuda"` literal an expression is or holds, if any. */
    const cudaLiteral = (expr: SyntaxNode | undefined): SyntaxNode | undefined => {
      if (!expr) return undefined;
      const value = resolveValue(model, expr);
      const text = literalString(value);
      return text !== undefined && CUDA.test(text) ? value : undefined;
    };
    const note = (node: SyntaxNode | undefined, message: string): void => {
      if (node) context.collect(node, { message } satisfies Device);
    };

    return {
      call(call) {
        const method = model.method(call);
        const fn = method?.name === 'cuda' ? model.functionOf(call) : null;
        if (fn && fn.type === 'attribute' && !model.qualifiedName(fn)?.startsWith('torch.cuda')) {
          // Range: the `cuda()` part, not the receiver.
          context.collect(call, {
            method: true,
            message: '`.cuda()` with no `torch.cuda.is_available()` check: fails on a machine without a GPU; choose the device once and use `.to(device)`',
          } satisfies Device);
        } else if (method?.name === 'to') {
          const target = keywordArgument(call, 'device') ?? positionalArguments(call)[0];
          note(
            cudaLiteral(target),
            '`.to("cuda")` with no `torch.cuda.is_available()` check: fails on a machine without a GPU; use `torch.device("cuda" if torch.cuda.is_available() else "cpu")`',
          );
          if (keywordArgument(call, 'device')) return;
        } else {
          const qualified = model.callee(call);
          if (qualified && DEVICE_FUNCTIONS.has(qualified)) {
            note(
              cudaLiteral(keywordArgument(call, 'type') ?? keywordArgument(call, 'device') ?? positionalArguments(call)[0]),
              `\`${qualified}("cuda")\` with no \`torch.cuda.is_available()\` check: fails on a machine without a GPU; use \`"cuda" if torch.cuda.is_available() else "cpu"\``,
            );
            return;
          }
        }
        note(
          cudaLiteral(keywordArgument(call, 'device')),
          '`device="cuda"` with no `torch.cuda.is_available()` check: fails on a machine without a GPU; pass a device chosen from what the machine has',
        );
      },
      assignment(assignment) {
        const left = assignment.childForFieldName('left');
        const right = assignment.childForFieldName('right');
        if (left?.type !== 'identifier' && left?.type !== 'attribute') return;
        if (!/device/i.test(left.text) || !right) return;
        const text = literalString(right);
        if (text !== undefined && CUDA.test(text)) {
          note(
            right,
            `\`${left.text} = "${text}"\` with no \`torch.cuda.is_available()\` check: fails on a machine without a GPU; use \`"cuda" if torch.cuda.is_available() else "cpu"\``,
          );
        }
      },
      'file:end'() {
        if (context.collected().length === 0) return;
        const devices = context.collected().map(({ node, data }) => {
          const { message, method } = data as Device;
          const start = method ? model.functionOf(node)!.childForFieldName('attribute')!.startIndex : node.startIndex;
          return { start, end: node.endIndex, message, node };
        });
        const guard = guardsOf(availabilityChecks());
        devices.sort((a, b) => a.start - b.start);
        for (const device of devices) {
          if (reported.has(device.start)) continue;
          reported.add(device.start);
          if (guard && (guard(device.node) || usesGuarded(device.node, guard))) continue;
          if (rebindable(device.node)) continue;
          context.report(device);
        }
      },
    };

    /**
     * `DEVICE = "cuda"` whose every use is guarded (directly, or through a name built from it:
     * `CUDA_DEVICE = f"{DEVICE}:0"` used only under `if torch.cuda.is_available():`).
     */
    function usesGuarded(literal: SyntaxNode, guard: (node: SyntaxNode) => boolean): boolean {
      const uses = (name: string): SyntaxNode[] => {
        if (!byName) {
          byName = new Map();
          for (const id of descendants(context.root, 'identifier')) {
            let list = byName.get(id.text);
            if (!list) byName.set(id.text, (list = []));
            list.push(id);
          }
        }
        return byName.get(name) ?? [];
      };
      const assignedName = (node: SyntaxNode): SyntaxNode | undefined => {
        let up = node.parent;
        while (
          up &&
          (up.type === 'interpolation' ||
            up.type === 'string' ||
            up.type === 'binary_operator' ||
            up.type === 'parenthesized_expression' ||
            up.type === 'conditional_expression')
        )
          up = up.parent;
        const left = up?.type === 'assignment' ? up.childForFieldName('left') : null;
        return left?.type === 'identifier' ? left : undefined;
      };
      const allGuarded = (target: SyntaxNode, depth: number): boolean => {
        const others = uses(target.text).filter((use) => use.id !== target.id);
        if (others.length === 0 || depth > 2) return false;
        return others.every((use) => {
          if (guard(use)) return true;
          const next = assignedName(use);
          return next !== undefined && next.text !== target.text && allGuarded(next, depth + 1);
        });
      };
      const target = assignedName(literal);
      return target !== undefined && allGuarded(target, 0);
    }

    /**
     * `device = 'cuda'` at module level followed by an `exec(...)` that may set it from the command
     * line (nanoGPT's `exec(open('configurator.py').read())`): a configurable default.
     */
    function rebindable(literal: SyntaxNode): boolean {
      const assignment = literal.parent;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== literal.id) return false;
      return assignment.parent?.type === 'expression_statement' && assignment.parent.parent?.type === 'module' && model.globalsRebound(assignment.startIndex);
    }

    /**
     * The file's calls of an availability check, also through `torch` re-exported by a module of the
     * project (`from .compat import torch`: `….compat.torch.cuda.is_available`).
     */
    function availabilityChecks(): SyntaxNode[] {
      return model.calls.filter((call) => {
        const name = model.callee(call);
        if (name === undefined) return false;
        if (AVAILABILITY_CHECKS.has(name)) return true;
        const torch = name.lastIndexOf('.torch.');
        return torch >= 0 && AVAILABILITY_CHECKS.has(name.slice(torch + 1));
      });
    }

    /**
     * What the file's availability checks guard: a placement inside an `if`/`elif`/conditional
     * expression whose test is a check (directly, or through a name or attribute assigned from one,
     * or a flag named for the GPU such as `args.cuda`), or after an early exit or `assert` on a check
     * in the same function.
     */
    function guardsOf(checks: SyntaxNode[]): (node: SyntaxNode) => boolean {
      // Names that hold the result of a check (`use_cuda = torch.cuda.is_available()`).
      const holders = new Set<string>();
      const exits: { scope: number; after: number }[] = [];
      for (const check of checks) {
        for (let up = check.parent; up; up = up.parent) {
          if (up.type === 'assignment') {
            const left = up.childForFieldName('left');
            const name = left ? dottedText(left) : undefined;
            if (name) holders.add(name);
            break;
          }
          if (up.type === 'assert_statement') {
            exits.push({ scope: model.scopeAt(up.startIndex), after: up.endIndex });
            break;
          }
          if (up.type === 'if_statement') {
            const consequence = up.childForFieldName('consequence');
            const negated = negates(up.childForFieldName('condition'), check);
            if (consequence && negated && !contains(consequence, check) && exitsEarly(model, consequence))
              exits.push({ scope: model.scopeAt(up.startIndex), after: up.endIndex });
            break;
          }
          if (STATEMENT_END.has(up.type)) break;
        }
      }
      /**
       * True when `condition` holds where the check fails: `not torch.cuda.is_available()`, a
       * comparison, or one of these among the operands of an `or` (`if not torch.cuda.is_available()
       * or not flash: return`).
       */
      function negates(condition: SyntaxNode | null, check: SyntaxNode): boolean {
        // A loop, not recursion: a crafted chain of thousands of `or`s must not exhaust the stack.
        for (let node = condition; node; ) {
          if (node.type === 'not_operator' || node.type === 'comparison_operator') return true;
          if (node.type === 'parenthesized_expression') node = node.namedChild(0);
          else if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.type === 'or') {
            const left = node.childForFieldName('left');
            const right = node.childForFieldName('right');
            node = left && contains(left, check) ? left : right && contains(right, check) ? right : null;
          } else return false;
        }
        return false;
      }
      const aboutCuda = (test: SyntaxNode | null): boolean => {
        if (!test) return false;
        if (checks.some((check) => contains(test, check))) return true;
        // `device.type == "cuda"`, `args.device != "cpu"`: the branch runs for the device chosen elsewhere.
        for (const comparison of test.type === 'comparison_operator' ? [test] : descendants(test, 'comparison_operator')) {
          if (comparison.namedChildren.some((side) => side !== null && /^(cuda|cpu|gpu)(:\d+)?$/.test(literalString(side) ?? ''))) return true;
        }
        for (const name of namesIn(test)) if (holders.has(name) || GPU_FLAG.test(name)) return true;
        const dotted = test.type === 'attribute' ? dottedText(test) : undefined;
        return dotted !== undefined && (holders.has(dotted) || GPU_FLAG.test(dotted.split('.').pop() ?? ''));
      };
      return (node) => {
        if (checks.length === 0 && !model.mentions('cuda')) return false;
        for (let up = node.parent, inner: SyntaxNode = node; up; inner = up, up = up.parent) {
          if (
            (up.type === 'if_statement' || up.type === 'elif_clause') &&
            inner.id !== up.childForFieldName('condition')?.id &&
            aboutCuda(up.childForFieldName('condition'))
          )
            return true;
          if (up.type === 'else_clause' && up.parent?.type === 'if_statement' && aboutCuda(up.parent.childForFieldName('condition'))) return true;
          if (up.type === 'conditional_expression' && aboutCuda(up.namedChild(1))) return true;
        }
        const scope = model.scopeAt(node.startIndex);
        return exits.some((exit) => exit.after <= node.startIndex && (exit.scope === scope || exit.scope === -1));
      };
    }
  },
});
