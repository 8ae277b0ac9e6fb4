import { TORCH_SELF_RETURNING } from '../knowledge';
import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { type Assignment, dottedText, scopeStart } from '../semantic';
import { positionalArguments } from '../calls';
import { torchFacts, gradientsOff, isBackward, isModuleClass } from '../torch-facts';
import { decoratorsOf, descendants, functionName } from '../tree-queries';
import { enclosingLoops, type Loop } from '../loops';
import { lowerBound } from '../sorted';

/** Words that make a function or a data set an evaluation one. */
const EVAL_WORDS = new Set([
  'eval',
  'evaluate',
  'evaluation',
  'test',
  'testing',
  'validate',
  'validation',
  'val',
  'valid',
  'predict',
  'prediction',
  'predictions',
  'infer',
  'inference',
  'score',
  'scoring',
  'benchmark',
  'holdout',
  'dev',
]);
const DATA_EVAL_WORDS = new Set(['test', 'val', 'valid', 'validation', 'eval', 'evaluation', 'holdout', 'dev']);

/**
 * Loaders that return a model in evaluation mode: transformers' `PreTrainedModel.from_pretrained` and
 * diffusers' `ModelMixin.from_pretrained`/`from_single_file` call `model.eval()` before returning it.
 */
const EVAL_MODE_LOADERS: ReadonlySet<string> = new Set(['from_pretrained', 'from_single_file']);

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The module a call chain acts on: `model` in `model.cuda().eval()` (through the calls that return the module itself). */
function moduleOf(expr: SyntaxNode): SyntaxNode {
  let base = expr;
  while (base.type === 'call') {
    const fn = base.childForFieldName('function');
    if (fn?.type !== 'attribute' || !TORCH_SELF_RETURNING.has(fn.childForFieldName('attribute')?.text ?? '')) break;
    base = fn.childForFieldName('object')!;
  }
  return base;
}

/** The name `.eval()` on which puts `text` in evaluation mode: `self.model` for `self.model.encoder`, `model` for `model.encoder`. */
function rootOf(text: string): string {
  return text.startsWith('self.') ? text.split('.').slice(0, 2).join('.') : text.split('.')[0];
}

export default defineRule({
  name: 'missing-eval-mode',
  category: 'observability',
  severity: 'warning',
  summary: 'A PyTorch model is evaluated without `model.eval()` before it or outside `torch.no_grad()`/`torch.inference_mode()`.',
  requiresImport: ['torch'],
  skipTestModules: true,
  // The forward calls are found per statement (`collect`); whether each is evaluation is decided at `file:end`.
  scope: 'statement',
  docs: {
    what: 'Flags a PyTorch forward call (`model(x)`, `model.forward(x)`) made for evaluation or inference when the model was not put in evaluation mode with `model.eval()` before it, or when the call runs with autograd on (outside `torch.no_grad()`/`torch.inference_mode()`). A forward call is for evaluation when it sits in a function that evaluates, tests, validates, scores or predicts (by its name), in a loop over a test or validation loader, or after a training loop in the same script, notebook or function. Reported at the forward call.',
    why: "In training mode, dropout keeps dropping units and batch normalisation keeps using (and updating) batch statistics, so evaluation metrics are noisy and lower than the model's real quality, predictions differ from run to run, and the running statistics drift with test data. With autograd on, every operation is recorded for a backward pass that never comes: inference uses several times the memory and is slower, and a long evaluation can run out of GPU memory.",
    example:
      'def evaluate(model, loader):\n    correct = 0\n    for xb, yb in loader:\n        correct += (model(xb).argmax(1) == yb).sum().item()\n    return correct',
    useInstead:
      'def evaluate(model, loader):\n    model.eval()\n    correct = 0\n    with torch.no_grad():\n        for xb, yb in loader:\n            correct += (model(xb).argmax(1) == yb).sum().item()\n    return correct',
    notes:
      '`model.eval()` counts when it is called on the same model (or the object that holds it) earlier in the same function, at module level earlier in the file or notebook, in the same class for `self.model`, before a call to the evaluating function, or when the model was assigned from a chain ending in `.eval()`; `model.train(False)` counts too. `torch.no_grad()` counts as a `with` block, a `@torch.no_grad()` decorator, `torch.set_grad_enabled(False)` earlier in the scope, or a `with torch.no_grad():` around a call to the evaluating function. Forward calls inside a loop or function that calls `backward()` are training, never evaluation; so are names with "train" in them. Lightning hooks (`validation_step`, `test_step`, `predict_step`) are not flagged: Lightning switches modes itself. Unit-test modules (the files pytest collects, modules that import `pytest` or `unittest`) are not checked: a test runs a forward pass to check shapes and values it sets itself, not to report a metric. A pytest function (`test_…`) elsewhere is not an evaluation function by its name (a function named `test` is one). Calling a CamelCase name (`Model()`) instantiates a class, and a method named after a model (`fabric.sharded_model()`, `logger.log_model()`) is not a forward pass; `model.cuda().eval()` counts as `model.eval()`. A model from `from_pretrained`/`from_single_file` (directly, through `.to(…)`, or through a function of the file whose every override returns one) is in evaluation mode, as the transformers and diffusers loaders call `.eval()`, unless the file may train it: `.train()` on it where it was assigned, or the model passed to a call named for training (`Trainer(model=model)`, `train_epoch(model)`) or to a function of the file that calls `.train()`. `.eval()` on an earlier assignment counts through reassignments that pass the model on (`model = torch.compile(model)`). A method of the classes of the file (`self.dummy_model()`), a function of the file named like a model (`evaluate_model(student_model, loader)`, `query_model(prompt)`), and what a function of the file returns when it returns a function it defines, are not modules. Layers called inside an `nn.Module` subclass (`self.fc(x)` in its methods) are not flagged: the caller sets the mode of the whole model.',
    realCode:
      "On huggingface/diffusers (fetched at `58eb52c080`, 1,029,213 lines; 2026-12-03) the rule reported 319 findings, 282 of them false positives of three shapes, now not reported: `accelerator.unwrap_model(unet)` and local `unwrap_model(...)` helpers (187), which return the wrapped model and run nothing; calls of pipelines loaded with `DiffusionPipeline.from_pretrained` and the like (67), which have no `.eval()` and whose `__call__` diffusers runs under `torch.no_grad()`; and private factory methods such as `self._create_quantized_model(...)` (27). The 37 left were labelled (`docs/audit/diffusers-missing-eval-mode.csv`): 2 TP, 35 FP. Models from `from_pretrained` through the file's factory overrides and `.eval()` before a pass-through helper removed 8 of those FPs: 29 findings remain, 2 TP and 27 FP (precision 0.07). Since unit-test modules are skipped (2026-12-05): 6 findings, 1 TP and 5 FP (precision 0.17); the 23 that went are 22 FP in the test suite and 1 TP, a test helper that runs a model built in training mode (`tests/models/testing_utils/lora.py`). Most of the rest need what another file defines (the scheduler tests' `dummy_model` and the quantization mixins live in other modules, 18), pipeline components (3) or modules without dropout or batch norm (6). On the 26 repositories of `docs/audit/swallowed-error-repos.txt` the change altered no finding. Reproduce: `scripts/real-code-audit.ts` with `--list docs/audit/diffusers-repo.txt --verdicts docs/audit/diffusers-missing-eval-mode.csv --rules missing-eval-mode` (docs/real-code-audit.md).",
  },
  create(context) {
    const { model } = context;
    return {
      call(call) {
        // The backward passes and `.eval()`/`.train(False)` calls the decision reads, in document order.
        if (isBackward(model, call)) context.collect(call, 'backward');
        else {
          const method = model.methodName(call);
          if ((method === 'eval' && positionalArguments(call).length === 0) || (method === 'train' && positionalArguments(call)[0]?.type === 'false'))
            context.collect(call, 'eval');
          else if (method === 'train') context.collect(call, 'train');
        }
        const fn = model.functionOf(call);
        if (fn?.type !== 'identifier' && fn?.type !== 'attribute') return;
        // A forward call: the model is the called name (`model(x)`) or the receiver (`model.forward(x)`).
        const target = torchFacts(model).forwardTarget(call);
        if (target) context.collect(call, target.id === fn.id ? 'function' : 'receiver');
      },
      'file:end'() {
        const collected = context.collected();
        const forwards = collected.filter(({ data }) => data === 'function' || data === 'receiver');
        if (forwards.length === 0) return;
        const backwards = collected.filter(({ data }) => data === 'backward').map(({ node }) => node);
        const evalCalls = collected.filter(({ data }) => data === 'eval').map(({ node }) => node);
        // Per-file facts read once: each forward call asks about the same backward and eval calls.
        const backwardEnds = backwards.map((call) => call.endIndex);
        /** The first backward() call starting at or after `offset` (calls are in document order). */
        const firstBackwardFrom = (offset: number): number => lowerBound(backwards.length, (i) => backwards[i].startIndex, offset);
        /** True when a backward() call lies inside `node`. */
        const trains = (node: SyntaxNode): boolean => {
          const end = node.endIndex;
          for (let i = firstBackwardFrom(node.startIndex); i < backwards.length && backwards[i].startIndex <= end; i++) if (backwardEnds[i] <= end) return true;
          return false;
        };
        const loopCache = new Map<number, Loop[]>();
        const loopsOf = (node: SyntaxNode): Loop[] => {
          let loops = loopCache.get(node.id);
          if (!loops) loopCache.set(node.id, (loops = enclosingLoops(node)));
          return loops;
        };
        const scopeCache = new Map<number, number>();
        const scopeOf = (node: SyntaxNode): number => {
          let scope = scopeCache.get(node.id);
          if (scope === undefined) scopeCache.set(node.id, (scope = scopeStart(node)));
          return scope;
        };
        /** The first end of a loop that runs `backward()`: after it, a forward call is evaluation (Infinity: none). */
        const trainingLoopEnd = (calls: readonly SyntaxNode[]): number => {
          let end = Infinity;
          for (const call of calls) for (const loop of loopsOf(call)) end = Math.min(end, loop.node.endIndex);
          return end;
        };
        // Asked once per forward call: answered once per file and once per function.
        const moduleTrainingEnd = trainingLoopEnd(backwards.filter((b) => !model.enclosingFunctionAt(b.startIndex)));
        const functionTrainingEnds = new Map<number, number>();
        const trainingEndIn = (fn: SyntaxNode): number => {
          let end = functionTrainingEnds.get(fn.id);
          if (end === undefined) functionTrainingEnds.set(fn.id, (end = trainingLoopEnd(backwardsIn(fn))));
          return end;
        };
        /** The backward() calls inside `node`, found by binary search (a filter of all of them per function was quadratic in long files). */
        const backwardsIn = (node: SyntaxNode): SyntaxNode[] => {
          const end = node.endIndex;
          const inside: SyntaxNode[] = [];
          for (let i = firstBackwardFrom(node.startIndex); i < backwards.length && backwards[i].startIndex < end; i++)
            if (backwardEnds[i] <= end) inside.push(backwards[i]);
          return inside;
        };
        // `.eval()` calls by receiver text (a forward call's model matches the receivers that are its
        // dotted prefixes), indexed by where they are: the earliest at module level, the earliest in
        // each function, and the classes whose methods make them. A forward call then asks its
        // enclosing functions, not every `.eval()` of the same name (quadratic in long files).
        interface EvalsOf {
          moduleStart: number;
          startByFunction: Map<number, number>;
          classes: Set<number>;
        }
        const evalsByReceiver = new Map<string, EvalsOf>();
        /** The earliest `.eval()` in each scope (function start, or -1), for the callers of an evaluation helper. */
        const firstEvalByScope = new Map<number, number>();
        for (const call of evalCalls) {
          const scope = scopeOf(call);
          firstEvalByScope.set(scope, Math.min(firstEvalByScope.get(scope) ?? Infinity, call.startIndex));
          // `model.cuda().eval()`: the receiver through the calls that return the module itself.
          const receiver = dottedText(moduleOf(model.method(call)!.receiver));
          if (!receiver) continue;
          let evals = evalsByReceiver.get(receiver);
          if (!evals) evalsByReceiver.set(receiver, (evals = { moduleStart: Infinity, startByFunction: new Map(), classes: new Set() }));
          const fn = model.enclosingFunctionAt(call.startIndex);
          if (!fn) {
            evals.moduleStart = Math.min(evals.moduleStart, call.startIndex);
            continue;
          }
          evals.startByFunction.set(fn.id, Math.min(evals.startByFunction.get(fn.id) ?? Infinity, call.startIndex));
          const cls = model.enclosingClassAt(fn.startIndex);
          if (cls) evals.classes.add(cls.id);
        }

        // What the model called is, resolved in this file: the function that made it (a factory that
        // returns a function it defines is no module), the loader it came from (`from_pretrained`
        // returns a model in evaluation mode), and whether the file puts it in training mode.
        const trainCalls = collected.filter(({ data }) => data === 'train').map(({ node }) => node);
        const returnsCache = new Map<number, SyntaxNode[]>();
        /** The values `def` returns (`return x`), not those of functions nested in it. */
        const returnsOf = (def: SyntaxNode): SyntaxNode[] => {
          let values = returnsCache.get(def.id);
          if (!values) {
            values = [];
            for (const ret of descendants(def, 'return_statement')) {
              const value = ret.namedChild(0);
              if (value && model.enclosingFunctionAt(ret.startIndex)?.id === def.id) values.push(value);
            }
            returnsCache.set(def.id, values);
          }
          return values;
        };
        /**
         * The functions of this file a call runs: for `helper(...)`, the module-level functions of that
         * name or one nested in a function around the call (none when the name is imported or assigned);
         * for `self.m(...)`/`cls.m(...)`, every method named `m` in the file's classes (an override in
         * any of them may be the one called), unless `self.m` is assigned (then it is an attribute) or a
         * method of that name is a property (it returns what it holds).
         */
        const definitionsCalled = (call: SyntaxNode): readonly SyntaxNode[] => {
          const fn = model.functionOf(call);
          if (fn?.type === 'identifier') {
            if (model.qualifiedName(fn) || model.valueOf(fn.text, call)) return [];
            const around = new Set(model.enclosingFunctionsAt(call.startIndex).map((f) => f.id));
            return model.functionsNamed(fn.text).filter((def) => {
              const outer = model.enclosingFunctionsAt(def.startIndex)[1];
              return outer ? around.has(outer.id) : !model.enclosingClassAt(def.startIndex);
            });
          }
          const method = model.method(call);
          const receiver = method?.receiver;
          if (!method || receiver?.type !== 'identifier' || (receiver.text !== 'self' && receiver.text !== 'cls')) return [];
          if (model.assignmentsOf(`self.${method.name}`).length > 0 || model.assignmentsOf(`cls.${method.name}`).length > 0) return [];
          const methods = model
            .functionsNamed(method.name)
            .filter((def) => model.enclosingFunctionsAt(def.startIndex).length === 1 && model.enclosingClassAt(def.startIndex) !== undefined);
          const property = methods.some((def) => decoratorsOf(def).some((decorator) => /property$/.test(dottedText(decorator) ?? '')));
          return property ? [] : methods;
        };
        /** True when the call runs functions of this file, and every value they return passes `test` (functions that return nothing, as abstract ones that raise, are left out). */
        const callReturns = (call: SyntaxNode, test: (value: SyntaxNode, def: SyntaxNode) => boolean): boolean => {
          const concrete = definitionsCalled(call).filter((def) => returnsOf(def).length > 0);
          return concrete.length > 0 && concrete.every((def) => returnsOf(def).every((value) => test(value, def)));
        };
        /** `def model(sample, t): …` nested in `def`, or a lambda: a plain function, not a module. */
        const localFunction = (value: SyntaxNode, def: SyntaxNode): boolean =>
          value.type === 'lambda' ||
          (value.type === 'identifier' &&
            model.valueOf(value.text, value) === undefined &&
            model.functionsNamed(value.text).some((inner) => model.enclosingFunctionsAt(inner.startIndex)[1]?.id === def.id));
        /**
         * `name`'s assignments back to where its module came from: the last one before `at`, then on
         * through reassignments that pass the same module on (`model = model.to(d)`,
         * `model = torch.compile(model)`, `model, x = cast(backend, model, x)`), most recent first.
         */
        const originsOf = (name: string, at: SyntaxNode): Assignment[] => {
          const chain: Assignment[] = [];
          for (let assigned = model.valueOf(name, at); assigned && chain.length < 8; assigned = model.valueOf(name, assigned.statement)) {
            chain.push(assigned);
            const value = assigned.value;
            if (value.type !== 'call') break;
            if (dottedText(moduleOf(value)) !== name && !positionalArguments(value).some((arg) => dottedText(arg) === name)) break;
          }
          return chain;
        };
        /** True when `expr` is a model from a loader that returns it in evaluation mode, directly, through `.to(…)` and the like, or through a function of this file that returns one. */
        const loadedInEvalMode = (expr: SyntaxNode, depth = 0): boolean => {
          if (depth > 4) return false;
          if (expr.type === 'identifier') {
            const assigned = model.valueOf(expr.text, expr);
            return assigned !== undefined && assigned.index === undefined && loadedInEvalMode(assigned.value, depth + 1);
          }
          let value = expr;
          for (let method = value.type === 'call' ? model.method(value) : undefined; method && TORCH_SELF_RETURNING.has(method.name); ) {
            if (method.name === 'train' && positionalArguments(value)[0]?.type !== 'false') return false;
            value = method.receiver;
            method = value.type === 'call' ? model.method(value) : undefined;
          }
          if (value.type !== 'call') return false;
          const method = model.method(value);
          if (method && EVAL_MODE_LOADERS.has(method.name)) return true;
          return callReturns(value, (returned) => loadedInEvalMode(returned, depth + 1));
        };
        let trainedAt: Map<string, number[]> | undefined;
        /**
         * True when the file may put the model named `root` in training mode: `.train()` (not
         * `.train(False)`) on it, or the model passed to code that may: a call named for training
         * (`train_epoch(model)`, `Trainer(model=model)`, `trainer.fit(model)`) or a function of this file
         * that calls `.train()`. Looked for in `scope`, the function the model was assigned in (nested
         * functions included), or anywhere for a module-level model or an attribute (`self.unet`).
         * By name: a `.train()` on another variable of the same name there counts too (more reports,
         * never fewer). The places are found once per file, in one pass over the calls.
         */
        const maybeTrained = (root: string, scope: SyntaxNode | undefined): boolean => {
          if (!trainedAt) {
            const places = new Map<string, number[]>();
            trainedAt = places;
            const add = (text: string | undefined, at: number): void => {
              if (!text) return;
              const name = rootOf(text);
              const list = places.get(name);
              if (list) list.push(at);
              else places.set(name, [at]);
            };
            const trainingFunctions = new Set<string>();
            for (const call of trainCalls) {
              add(dottedText(moduleOf(model.method(call)!.receiver)), call.startIndex);
              for (const fn of model.enclosingFunctionsAt(call.startIndex)) trainingFunctions.add(functionName(fn));
            }
            for (const call of model.calls) {
              const name = model.calledName(call) ?? '';
              const receiver = model.method(call)?.receiver;
              if (!/train|fit/i.test(name) && !trainingFunctions.has(name) && !(receiver && /train/i.test(dottedText(receiver) ?? ''))) continue;
              for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
                const passed = arg?.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
                if (passed) add(dottedText(passed), call.startIndex);
              }
            }
          }
          const places = trainedAt.get(root) ?? [];
          if (!scope || root.startsWith('self.')) return places.length > 0;
          return places.some((at) => at >= scope.startIndex && at < scope.endIndex);
        };
        /** `model`, `self.unet` came from `from_pretrained`/`from_single_file` and the file never puts it in training mode. */
        const loadedForEvaluation = (call: SyntaxNode, root: string): boolean => {
          if (root.startsWith('self.')) {
            // Assigned in another method (`__init__`): every assignment of the attribute in the file.
            const assignments = model.assignmentsOf(root);
            if (assignments.length > 0 && assignments.every((a) => a.index === undefined && loadedInEvalMode(a.value))) return !maybeTrained(root, undefined);
          }
          const source = originsOf(root, call).at(-1);
          if (source === undefined || source.index !== undefined || !loadedInEvalMode(source.value)) return false;
          return !maybeTrained(root, source.scope === -1 ? undefined : model.enclosingFunctionAt(source.statement.startIndex));
        };
        /**
         * The called `model` is no module: a method of this file's classes (`self.dummy_model()`), a
         * function of this file named like one (`evaluate_model(student_model, loader)`), or the
         * function a factory of this file returns (`model = self.dummy_model()`).
         */
        const notAModule = (call: SyntaxNode, target: SyntaxNode): boolean => {
          const called = model.functionOf(call)?.id === target.id;
          if (target.type === 'attribute') return called && definitionsCalled(call).length > 0;
          if (target.type !== 'identifier') return false;
          if (called && definitionsCalled(call).length > 0) return true;
          const source = originsOf(target.text, call).at(-1);
          return source !== undefined && source.index === undefined && source.value.type === 'call' && callReturns(source.value, localFunction);
        };

        const evaluationContext = (call: SyntaxNode): boolean => {
          const fn = model.enclosingFunctionAt(call.startIndex);
          const loops = loopsOf(call);
          // Training: a loop or function that runs backward().
          if (loops.some((loop) => trains(loop.body))) return false;
          // After the training loop in the same function is evaluation again.
          if (fn && trains(fn)) return trainingEndIn(fn) < call.startIndex;
          for (const enclosing of model.enclosingFunctionsAt(call.startIndex)) {
            const name = functionName(enclosing);
            if (/train/i.test(name)) return false;
            if (/_step$/.test(name) && model.enclosingClassAt(enclosing.startIndex)) return false;
            // `test_fsdp_strategy` is a pytest unit test, not an evaluation on test data (`def test(model, loader)` is).
            if (words(name.replace(/^test_/, '')).some((word) => EVAL_WORDS.has(word))) return true;
          }
          if (loops.some((loop) => loop.iterable && words(loop.iterable.text).some((word) => DATA_EVAL_WORDS.has(word)))) return true;
          // After training, at module level (or notebook cells).
          if (!fn) return moduleTrainingEnd < call.startIndex;
          return false;
        };

        const evalBefore = (call: SyntaxNode, target: SyntaxNode): boolean => {
          const text = dottedText(target) ?? '';
          const root = text.startsWith('self.') ? text.split('.').slice(0, 2).join('.') : text.split('.')[0];
          const fn = model.enclosingFunctionAt(call.startIndex);
          const cls = model.enclosingClassAt(call.startIndex);
          // The same model: `.eval()` on the model itself or on an object that holds it (each dotted prefix of
          // its name): in a method of the same class (for `self.…`), or before the call at module level or in
          // a function enclosing it.
          for (let dot = text.length; dot > 0; dot = text.lastIndexOf('.', dot - 1)) {
            const evals = evalsByReceiver.get(text.slice(0, dot));
            if (!evals) continue;
            if (text.startsWith('self.') && cls && evals.classes.has(cls.id)) return true;
            if (evals.moduleStart <= call.startIndex) return true;
            if (model.enclosingFunctionsAt(call.startIndex).some((f) => (evals.startByFunction.get(f.id) ?? Infinity) <= call.startIndex)) return true;
          }
          // `model = load(...).eval()`, also when passed on since (`model = torch.compile(model)`), unless
          // a later one of those statements puts it back in training mode.
          for (const assigned of originsOf(root, call)) {
            const modes = descendants(assigned.statement, 'call').map((c) => model.method(c)?.name);
            if (modes.includes('train')) break;
            if (modes.includes('eval')) return true;
          }
          // `model = AutoModel.from_pretrained(...)`: loaded in evaluation mode, never trained here.
          if (loadedForEvaluation(call, root)) return true;
          // Every evaluation helper is called after an `.eval()` in its caller's scope.
          return fn !== undefined && helperCalledAfterEval(fn);
        };
        const calledAfterEval = new Map<number, boolean>();
        const helperCalledAfterEval = (fn: SyntaxNode): boolean => {
          let answer = calledAfterEval.get(fn.id);
          if (answer === undefined) {
            const callers = model.callsOfName(functionName(fn));
            answer = callers.length > 0 && callers.every((c) => (firstEvalByScope.get(scopeOf(c)) ?? Infinity) < c.startIndex);
            calledAfterEval.set(fn.id, answer);
          }
          return answer;
        };

        const gradOff = (call: SyntaxNode): boolean => {
          if (gradientsOff(model, call)) return true;
          const fn = model.enclosingFunctionAt(call.startIndex);
          if (!fn) return false;
          let answer = calledWithGradientsOff.get(fn.id);
          if (answer === undefined) {
            const callers = model.callsOfName(functionName(fn));
            calledWithGradientsOff.set(fn.id, (answer = callers.length > 0 && callers.every((c) => gradientsOff(model, c))));
          }
          return answer;
        };
        const calledWithGradientsOff = new Map<number, boolean>();

        for (const { node: call, data } of forwards) {
          const target = data === 'function' ? model.functionOf(call)! : model.method(call)!.receiver;
          const text = dottedText(target) ?? target.text;
          if (text.startsWith('self.')) {
            const cls = model.enclosingClassAt(call.startIndex);
            if (cls && isModuleClass(model, cls)) continue;
          }
          if (!evaluationContext(call)) continue;
          if (notAModule(call, target)) continue;
          const evalOk = evalBefore(call, target);
          const gradOk = gradOff(call);
          if (evalOk && gradOk) continue;
          const root = text.startsWith('self.') ? text.split('.').slice(0, 2).join('.') : text.split('.')[0];
          const message =
            !evalOk && !gradOk
              ? `\`${text}\` evaluated in training mode and with autograd on: call \`${root}.eval()\` first and run it under \`torch.no_grad()\``
              : !evalOk
                ? `\`${text}\` evaluated without \`${root}.eval()\`: dropout and batch norm stay in training mode; call \`${root}.eval()\` first`
                : `\`${text}\` evaluated outside \`torch.no_grad()\`: autograd records every operation; wrap it in \`with torch.no_grad():\``;
          context.report({ node: call, message });
        }
      },
    };
  },
});
