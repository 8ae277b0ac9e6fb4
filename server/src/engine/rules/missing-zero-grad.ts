import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { positionalArguments } from '../calls';
import { dottedText } from '../semantic';
import { descendants, functionName, inSameBody } from '../tree-queries';
import { enclosingLoops } from '../loops';
import { isBackward, isOptimizerStep } from '../torch-facts';

const CALLS = new Set(['call']);

export default defineRule({
  name: 'missing-zero-grad',
  category: 'observability',
  severity: 'error',
  summary: 'A PyTorch training loop calls `backward()` and `optimizer.step()` but never zeroes the gradients.',
  requiresImport: ['torch'],
  // The optimizer steps are found per statement (`collect`); the training loops around them are read at `file:end`.
  scope: 'statement',
  docs: {
    what: "Flags the `optimizer.step()` of a PyTorch training loop (a loop whose body calls `backward()` and an optimizer's `step()`) when nothing in that loop zeroes the gradients: no `optimizer.zero_grad()`, no `model.zero_grad()`, no `p.grad = None` or `p.grad.zero_()`, and no call to a helper defined in the same file that does one of those. A function that calls `backward()` and `step()` once (a training step called from a loop) counts as a loop too.",
    why: 'PyTorch adds each new gradient to the one already stored in `.grad`. Without zeroing, every step applies the sum of all gradients since the start: the effective learning rate grows with the step count, the loss diverges or oscillates, and the model that comes out is not the one the hyper-parameters describe. The bug is silent: the code runs, and the loss may even fall for a while.',
    example: 'for xb, yb in loader:\n    loss = loss_fn(model(xb), yb)\n    loss.backward()\n    optimizer.step()',
    useInstead: 'for xb, yb in loader:\n    optimizer.zero_grad()\n    loss = loss_fn(model(xb), yb)\n    loss.backward()\n    optimizer.step()',
    notes:
      "The zeroing must happen inside the loop that steps: a single `zero_grad()` before the loop still lets gradients pile up from the second step on, so it is flagged. Gradient accumulation (stepping and zeroing every N batches inside an `if`) is fine. Zeroing in the caller's loop counts for a training-step function. The loop is reported once, at its first `step()`. `scheduler.step()` and `env.step()` are not optimizer steps. Lightning's automatic optimisation zeroes for you and has no `backward()` call, so it is not flagged.",
  },
  create(context) {
    const { model } = context;
    return {
      call(call) {
        if (isOptimizerStep(model, call)) context.collect(call, null);
      },
      'file:end'() {
        const steps = context.collected().map(({ node }) => node);
        if (steps.length === 0) return;
        const zeroCache = new Map<number, boolean>();
        const callsIn = (node: SyntaxNode): SyntaxNode[] => descendants(node, CALLS);

        const zeroes = (call: SyntaxNode, depth: number): boolean => {
          const method = model.method(call);
          if (method?.name === 'zero_grad') return true;
          if (method?.name === 'zero_') {
            const receiver = dottedText(method.receiver) ?? '';
            if (/\.grad(\.data)?$/.test(receiver)) return true;
          }
          if (depth > 3) return false;
          // A helper from this file that zeroes: `reset_gradients(opt)`, `self._zero()`.
          const fn = call.childForFieldName('function');
          const name = fn?.type === 'identifier' ? fn.text : method && method.receiver.text === 'self' ? method.name : undefined;
          if (!name) return false;
          return model.functionsNamed(name).some((definition) => bodyZeroes(definition, depth + 1));
        };
        const bodyZeroes = (node: SyntaxNode, depth: number): boolean => {
          const cached = zeroCache.get(node.id);
          if (cached !== undefined) return cached;
          zeroCache.set(node.id, false);
          const result =
            callsIn(node).some((call) => zeroes(call, depth)) ||
            descendants(node, 'assignment').some((assignment) => {
              const left = assignment.childForFieldName('left');
              return (
                left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'grad' && assignment.childForFieldName('right')?.type === 'none'
              );
            });
          zeroCache.set(node.id, result);
          return result;
        };
        const hasBackward = (node: SyntaxNode): boolean => callsIn(node).some((call) => isBackward(model, call));

        const reported = new Set<number>();
        for (const step of steps) {
          const loop = enclosingLoops(step).find((candidate) => candidate.node.type !== 'list_comprehension' && hasBackward(candidate.body));
          let unit: SyntaxNode | undefined = loop?.body;
          let stepFunction: SyntaxNode | undefined;
          if (!unit) {
            const fn = model.enclosingFunctionAt(step.startIndex);
            if (!fn || !callsIn(fn).some((call) => isBackward(model, call) && inSameBody(fn, call))) continue;
            unit = fn;
            stepFunction = fn;
          }
          if (reported.has(unit.id)) continue;
          if (bodyZeroes(unit, 0)) continue;
          if (stepFunction) {
            const name = functionName(stepFunction);
            // A pytest test runs once: its one step cannot pile gradients up.
            if (/^test/.test(name)) continue;
            // A training-step function whose caller's loop zeroes.
            const zeroedByCaller = model.calls.some((call) => {
              const fn = call.childForFieldName('function');
              if (fn?.text !== name && !(fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === name)) return false;
              return enclosingLoops(call).some((candidate) => bodyZeroes(candidate.body, 0));
            });
            if (zeroedByCaller) continue;
          }
          reported.add(unit.id);
          // `scaler.step(optimizer)` steps the optimizer it is given.
          const receiver = model.method(step)?.receiver.text ?? 'optimizer';
          const optimizer = /scaler$/i.test(receiver) ? (positionalArguments(step)[0]?.text ?? 'optimizer') : receiver;
          context.report({
            node: step,
            message: `\`${optimizer}.step()\` in a training loop that never zeroes gradients: they accumulate across steps; call \`${optimizer}.zero_grad()\` in the loop`,
          });
        }
      },
    };
  },
});
