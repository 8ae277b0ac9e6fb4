import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { dottedText } from '../semantic';
import { keywordArgument, positionalArguments } from '../calls';
import { stringValue } from '../literals';
import { torchFacts, type TorchFacts, isBackward } from '../torch-facts';
import { contains, descendants } from '../tree-queries';
import { loopsIn, type Loop } from '../loops';
import { namesIn, propagate, rootName, targetNames } from '../dataflow';
import { LLM_MODULES, llmCallSdk, TORCH_DATA_LOADERS, TORCH_FAMILY } from '../knowledge';

const PREDICT_METHODS = new Set(['predict', 'predict_proba', 'predict_log_proba', 'decision_function']);
/** Methods by which a model learns from one more example (or batch). */
const LEARNING_METHODS: ReadonlySet<string> = new Set(['partial_fit', 'fit', 'learn_one', 'learn', 'update', 'train_on_batch']);
const LEARNING_NODES: ReadonlySet<string> = new Set(['assignment', 'augmented_assignment', 'call']);

const ROW_ITERATORS = new Set(['iterrows', 'itertuples']);
const WRAPPERS = new Set(['builtins.enumerate', 'builtins.zip', 'builtins.list', 'builtins.iter', 'tqdm.tqdm', 'tqdm.auto.tqdm', 'tqdm.notebook.tqdm']);
/** Iterables that are batches, groups, files or models, not rows. */
const NOT_ROWS =
  /loader|batch|chunk|split|group|fold|epoch|model|estimator|clf|file|path|dir|url|shard|window|horizon|step|partition|dl$|iter$|iterator|seed|bag|param|names?$|columns?$|cols$|features?_names|importances?|classes|labels$|targets$|metrics?$|thresholds?$|alphas$|trials$|keys$/i;
const FOLD_TARGET = /^(train|test|val|valid|dev|tr|te|trn|tst)(_?(idx|index|indices|ids|ix|inds))?$/i;
const BATCH_TARGET = /batch|chunk|fold|shard|^xb$|^yb$/i;
/** A loop target that names a file (`for path, img, im0s, vid_cap, s in dataset`, YOLOv5's image loader): a loop over files. */
const FILE_TARGET = /^(path|paths|file|filename|fname|filepath|file_path|img_path|image_path)$/i;
const MUTATORS = new Set(['append', 'extend', 'insert', 'appendleft', 'add', 'update', 'put']);

/** A list, tuple or set written out of strings, numbers, booleans or None (`["Yes", "No"]`, `(0.1, 0.01)`). */
function literalOfScalars(value: SyntaxNode): boolean {
  if (value.type !== 'list' && value.type !== 'tuple' && value.type !== 'set') return false;
  const items = value.namedChildren.filter((item): item is SyntaxNode => item !== null && item.type !== 'comment');
  return (
    items.length > 0 &&
    items.every((item) => SCALAR_LITERALS.has(item.type) || (item.type === 'unary_operator' && SCALAR_LITERALS.has(item.namedChild(0)?.type ?? '')))
  );
}
const SCALAR_LITERALS: ReadonlySet<string> = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);

export default defineRule({
  name: 'row-wise-predict',
  category: 'failure-handling',
  severity: 'warning',
  scope: 'statement',
  summary:
    "`predict`/`predict_proba` or a model's forward call inside a Python loop over rows instead of one batched call; an LLM call once per DataFrame row.",
  docs: {
    what: "Flags `predict`, `predict_proba`, `predict_log_proba`, `decision_function` or a PyTorch model's forward call made inside a Python loop over the rows of a data set (`for _, row in df.iterrows()`, `itertuples()`, `for x in X`, `for i in range(len(X))` or `range(X.shape[0])`, comprehensions, and `df.apply(..., axis=1)`), when the call's input comes from the loop's row. Also flags an LLM call (an OpenAI or Anthropic client, `litellm.completion`, a LangChain chat model's `invoke`) made once per DataFrame row: in a loop over `iterrows()`/`itertuples()` with a prompt built from the row, or in `df.apply(...)`/`Series.apply(...)`/`Series.map(...)`, directly or through a function of the same file that makes the call.",
    why: "For an LLM, one request per row is the slowest and most expensive shape there is: a 10,000-row table is 10,000 sequential round trips of a second or more, and the first rate limit (429) stops the job half way; batch APIs and bounded concurrency exist for exactly this. For a local model, each call pays the model's fixed cost (input validation, conversion to arrays, thread start-up, a GPU launch) for a single row: scoring a table row by row is typically 100 to 1,000 times slower than one call on the whole table, which turns a nightly job of seconds into hours and a request of milliseconds into a timeout. Batched calls also use the vectorised code paths the library was built around.",
    example: 'scores = []\nfor _, row in features.iterrows():\n    scores.append(model.predict_proba(row.to_frame().T)[0, 1])',
    useInstead: 'scores = model.predict_proba(features)[:, 1]',
    notes:
      'Loops whose prediction is fed back as the next input (recursive multi-step forecasting, autoregressive generation) are not flagged: each step needs the previous result, so there is nothing to batch; this is found by following the prediction through assignments, `append`/`insert` and index writes back into the call\'s input; so is beam search, where an enclosing loop reassigns the list this loop walks from what its predictions collected (`top = sorted(candidates)[:beam_width]`, then `for score, text in top:`), though predictions written into the rows themselves (`df.loc[i, "pred"] = p`) are still one call per row. Nor is online learning, where the loop changes the predicting object itself (`self.w_ += update * xi` after `self.predict(xi)`, the perceptron rule; `model.partial_fit(...)`, `learn_one`). Loops over models, folds (`for train, test in cv`, also a splitter held in a variable), files (also a loop whose target unpacks a path: `for path, im, im0s, vid_cap, s in dataset`), chunks, batches, data loaders or a generator\'s output held in a variable are not loops over rows and are not flagged, nor is `range(k)` over a count that is not a data set\'s length (`range(10)`, `range(n_classes)`, `range(len(feature_importances))`), nor a loop over columns (`for feature in X_train.columns[1:]`) or over options typed in (`for y_name in y_name_list` with `y_name_list = ["Yes", "No"]`, learning rates, thresholds), nor is a call whose input does not depend on the loop variable (`for m in models: m.predict(X_test)`), nor one whose model comes from the loop\'s item (`for series_id in series_ids: model = models[series_id]` then `model.predict(frame)`): each turn asks another model; over a DataFrame\'s rows, a model picked per row (`models[row["segment"]]`) is still one call per row. `while` loops are not checked. LLM calls in a loop over a plain list (`for q in questions`) are not flagged: only DataFrame rows, where a batch is at hand. `executor.map(fn, rows)` is bounded concurrency, the remedy, and is not flagged.',
    realCode:
      "On the 61 repositories of the audit: 3 findings, all read, 3 true positives, precision 1.00 (per-sentence forward passes in localGPT's verifier, one `predict` per Kinesis record in mlops-zoomcamp, W255's timing of the per-row loop). The rule before this audit also reported 17 false positives there, all fixed: predictions per cross-validation fold inside loops over seeds (Kaggle bagging), permutation importance over columns, learning curves over training-set sizes, Ray and torchtext batch iterators, and a LangChain model's `predict` per list item. No LLM call per DataFrame row occurs in these repositories. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit && scripts/audit-checkout.sh <mirrors> /tmp/audit docs/audit/serving-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --list docs/audit/repos.txt,docs/audit/serving-repos.txt --verdicts docs/audit/serving-rules.csv --rules row-wise-predict` (verdicts with their reasons in `docs/audit/serving-rules.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    // File-level facts come from the model's memos (never kept here), so each statement that asks is seen asking.
    const torch = (): TorchFacts | undefined => (model.seenAnyModule(TORCH_FAMILY) ? torchFacts(model) : undefined);

    /** True when a loop's iterable is a data set's rows. */
    const overRows = (iterable: SyntaxNode | undefined, depth = 0): boolean => {
      if (!iterable || depth > 4) return false;
      if (iterable.type === 'call') {
        const method = model.method(iterable);
        if (method && ROW_ITERATORS.has(method.name)) return true;
        const callee = model.callee(iterable);
        if (callee === 'builtins.range') {
          // `range(len(X))`, `range(X.shape[0])`, `range(n)` with `n = len(X)`: the rows' indices. A count
          // typed in or read from elsewhere (`range(10)`, `range(n_classes)`) is not.
          const args = positionalArguments(iterable);
          if (args.length === 0 || args.length > 2) return false;
          return isRowCount(args[args.length - 1]) && !countsNotRows(args[args.length - 1]);
        }
        if (callee && WRAPPERS.has(callee)) return overRows(positionalArguments(iterable)[0], depth + 1);
        // `X.to_numpy()`, `X.tolist()`, `X.values.tolist()`
        if (method && /^(to_numpy|tolist|to_list|to_records|to_dict)$/.test(method.name) && positionalArguments(iterable).length === 0) {
          return overRows(method.receiver, depth + 1);
        }
        return false;
      }
      if (iterable.type === 'identifier' || iterable.type === 'attribute' || iterable.type === 'subscript') {
        const name = iterable.type === 'subscript' ? rootName(iterable) : (dottedText(iterable) ?? rootName(iterable));
        if (!name) return false;
        if (model.qualifiedName(iterable.type === 'subscript' ? iterable.childForFieldName('value') : iterable)) return false;
        if (notRowsByName(iterable)) return false;
        if (iterable.type === 'identifier') {
          const assigned = model.valueOf(name, iterable);
          if (assigned && assigned.index === undefined) {
            // A variable that holds folds, batches or a generator's output (`cv = KFold(5)`, `it = batches(X, 512)`).
            if (assigned.value.type === 'call' && !overRows(assigned.value, depth + 1) && notRows(assigned.value)) return false;
            // Options typed in (`y_name_list = ["Yes", "No"]`, `lrs = [0.1, 0.01]`): targets, columns or settings to try, not data.
            if (literalOfScalars(assigned.value)) return false;
          }
        }
        return true;
      }
      return false;
    };

    /** True when a loop walks folds, batches, chunks, seeds or other groups (its target or its iterable says so). */
    const groups = (loop: Loop): boolean => {
      if (loop.target && loop.target.type !== 'identifier' && targetNames(loop.target).some((n) => FOLD_TARGET.test(n))) return true;
      if (loop.target && targetNames(loop.target).some((n) => BATCH_TARGET.test(n))) return true;
      if (loop.target && loop.target.type !== 'identifier' && targetNames(loop.target).some((n) => FILE_TARGET.test(n))) return true;
      let iterable = loop.iterable;
      for (let depth = 0; iterable?.type === 'call' && depth < 3; depth++) {
        const callee = model.callee(iterable);
        if (!callee || !WRAPPERS.has(callee)) break;
        iterable = positionalArguments(iterable)[0];
      }
      if (!iterable) return false;
      if (iterable.type === 'call') return notRows(iterable);
      const name = iterable.type === 'identifier' || iterable.type === 'attribute' ? dottedText(iterable) : undefined;
      if (!name) return false;
      if (name.split('.').some((part) => NOT_ROWS.test(part))) return true;
      const assigned = iterable.type === 'identifier' ? model.valueOf(name, iterable) : undefined;
      return assigned !== undefined && assigned.index === undefined && assigned.value.type === 'call' && notRows(assigned.value);
    };

    /** True when a call makes folds, batches, chunks or a generator, not rows. */
    const notRows = (call: SyntaxNode): boolean => {
      const callee = model.callee(call);
      if (callee?.startsWith('sklearn.model_selection.') || TORCH_DATA_LOADERS.has(callee ?? '')) return true;
      const name = model.calledName(call);
      if (!name) return false;
      if (NOT_ROWS.test(name)) return true;
      // A generator function defined in the file (`def batches(X, size): ... yield X[i:i + size]`).
      if (model.method(call)) return false;
      return model.functionsNamed(name).some((fn) => descendants(fn, 'yield').length > 0);
    };

    /**
     * The iterable's name says it holds no rows: `X_train.columns[1:]` (the subscript's object is
     * read too, not only its root), `feature_importances`, `fold_ids`.
     */
    const notRowsByName = (expr: SyntaxNode): boolean => {
      const names = [rootName(expr)];
      if (expr.type === 'subscript') {
        const value = expr.childForFieldName('value');
        if (value) names.push(dottedText(value));
      } else names.push(dottedText(expr));
      return names.some((name) => name?.split('.').some((part) => NOT_ROWS.test(part)));
    };

    /** `range(len(feature_importances_sorted))`: a count of things that are not rows. */
    const countsNotRows = (count: SyntaxNode): boolean => {
      if (count.type !== 'call' || model.callee(count) !== 'builtins.len') return false;
      const of = positionalArguments(count)[0];
      return of !== undefined && notRowsByName(of);
    };

    /** `len(X)`, `X.shape[0]`, `len(df.index)`, or a name assigned from one. */
    const isRowCount = (expr: SyntaxNode | undefined, depth = 0): boolean => {
      if (!expr || depth > 3) return false;
      if (expr.type === 'call') return model.callee(expr) === 'builtins.len';
      if (expr.type === 'subscript')
        return expr.childForFieldName('value')?.type === 'attribute' && expr.childForFieldName('value')!.childForFieldName('attribute')?.text === 'shape';
      if (expr.type === 'identifier') {
        const assigned = model.valueOf(expr.text, expr);
        return assigned !== undefined && assigned.index === undefined && isRowCount(assigned.value, depth + 1);
      }
      return false;
    };

    /** Names the statement holding `call` writes the prediction into (`y = f(pred)`, `out[t] = pred`, `acc.append(pred)`). */
    const writtenBy = (call: SyntaxNode, loop: Loop): string[] => {
      const out: string[] = [];
      for (let current = call.parent; current && current.id !== loop.body.id; current = current.parent) {
        if (current.type === 'assignment' || current.type === 'augmented_assignment') {
          const right = current.childForFieldName('right');
          const left = current.childForFieldName('left');
          if (right && left && contains(right, call)) out.push(...targetNames(left));
        } else if (current.type === 'call') {
          const method = model.method(current);
          if (method && MUTATORS.has(method.name)) {
            const receiver = rootName(method.receiver);
            if (receiver) out.push(receiver.split('.')[0]);
          }
        } else if (current.type === 'for_in_clause' || current.type === 'list_comprehension') {
          break;
        }
      }
      return out;
    };

    const trainingBodies = new Map<number, boolean>();
    /** True when a loop body runs backward() (cached: every forward call in the loop asks). */
    const trains = (body: SyntaxNode): boolean => {
      let result = trainingBodies.get(body.id);
      if (result === undefined) trainingBodies.set(body.id, (result = descendants(body, 'call').some((c) => isBackward(model, c))));
      return result;
    };

    // Whether a loop walks rows and which names its target reaches are asked again by every call in
    // the loop: kept for this analysis, by iterable and by target (a comprehension's clauses share one
    // node). A loop and the calls in it belong to one statement, and each answer reads only that loop.
    // On real code most calls in loops are forward calls in loops over layers or batches.
    const rowIterables = new Map<number, boolean>();
    const loopOverRows = (loop: Loop): boolean => {
      if (!loop.iterable) return overRows(undefined);
      let result = rowIterables.get(loop.iterable.id);
      if (result === undefined) rowIterables.set(loop.iterable.id, (result = overRows(loop.iterable)));
      return result;
    };
    const groupTargets = new Map<number, boolean>();
    const loopOverGroups = (loop: Loop, target: SyntaxNode): boolean => {
      let result = groupTargets.get(target.id);
      if (result === undefined) groupTargets.set(target.id, (result = groups(loop)));
      return result;
    };
    const reached = new Map<number, Set<string>>();
    const fromTarget = (loop: Loop, target: SyntaxNode): Set<string> => {
      let names = reached.get(target.id);
      if (!names) reached.set(target.id, (names = propagate(loop.body, targetNames(target))));
      return names;
    };

    /**
     * True when the loop body changes the predicting object (`self.w_ += update * xi`,
     * `model.partial_fit(x, y)`): online learning, where each prediction needs the state the previous
     * row left, so there is nothing to batch (the perceptron rule).
     */
    const learnsIn = (body: SyntaxNode, receiver: SyntaxNode): boolean => {
      const owner = dottedText(receiver);
      if (!owner) return false;
      for (const node of descendants(body, LEARNING_NODES)) {
        if (node.type === 'call') {
          const method = model.method(node);
          if (method && LEARNING_METHODS.has(method.name) && dottedText(method.receiver) === owner) return true;
          continue;
        }
        // `self.w_ += …`, `self.w_[1:] += …`: an attribute of the predicting object written.
        let target = node.childForFieldName('left');
        while (target?.type === 'subscript') target = target.childForFieldName('value');
        const object = target?.type === 'attribute' ? target.childForFieldName('object') : null;
        if (object && dottedText(object) === owner) return true;
      }
      return false;
    };

    /**
     * Beam search and step-wise decoding: what the predictions of `loop` collect becomes, through a
     * plain reassignment in an enclosing loop, the list `loop` walks on the next step
     * (`top = sorted(candidates)[:beam_width]`, then `for score, text in top:`). Each step needs the
     * last step's results, so there is nothing to batch across steps. A write into the rows
     * themselves (`df.loc[i, "pred"] = p`) is not a reassignment and does not count.
     */
    const reiterated = (loop: Loop, loops: readonly Loop[], written: readonly string[]): boolean => {
      const iterable = loop.iterable;
      if (written.length === 0 || iterable?.type !== 'identifier') return false;
      const name = iterable.text;
      for (const outer of loops) {
        if (outer === loop || !contains(outer.body, loop.node)) continue;
        if (!propagate(outer.body, written).has(name)) continue;
        for (const assignment of descendants(outer.body, 'assignment')) {
          const left = assignment.childForFieldName('left');
          if (left?.type === 'identifier' && left.text === name && !contains(loop.node, assignment)) return true;
        }
      }
      return false;
    };

    const rowWise = (call: SyntaxNode, inputs: SyntaxNode, forward = false, receiver?: SyntaxNode): boolean => {
      const loops = loopsAround(call);
      // Cheap first: no loop over rows around the call, nothing to say (most calls in loops are in loops over batches).
      if (!loops.some((loop) => loop.target && loopOverRows(loop))) return false;
      const used = namesIn(inputs);
      for (const loop of loops) {
        if (!loop.target) continue;
        // A call whose input comes from a loop over folds, batches or seeds (`for train, test in cv.split(X)`,
        // `for xb in loader`) runs once per group, whatever loop is around that one.
        if (loopOverGroups(loop, loop.target)) {
          const fromGroup = fromTarget(loop, loop.target);
          if ([...used].some((name) => fromGroup.has(name))) return false;
          continue;
        }
        if (!loopOverRows(loop)) continue;
        // A forward call in a loop that runs backward() is a training step, not a prediction.
        if (forward && trains(loop.body)) return false;
        const fromRow = fromTarget(loop, loop.target);
        if (![...used].some((name) => fromRow.has(name))) continue;
        // A loop over models: the predicting object itself comes from the loop's item
        // (`for series_id in series_ids: model = models[series_id]`), so each turn asks another model.
        // (Not over a frame's rows, where a model picked per row still calls for grouping the rows.)
        if (receiver && !iteratesRows(loop.iterable) && [...namesIn(receiver)].some((name) => fromRow.has(name))) continue;
        // Autoregressive: the prediction flows back into the next call's input.
        const written = writtenBy(call, loop);
        const fedBack = propagate(loop.body, written);
        if ([...used].some((name) => fedBack.has(name))) return false;
        if (reiterated(loop, loops, written)) return false;
        // Online learning: the prediction flows back into the model instead.
        if (receiver && learnsIn(loop.body, receiver)) return false;
        return true;
      }
      return false;
    };

    // LLM calls: once per DataFrame row (a loop over `iterrows`/`itertuples`, or `apply`), directly or
    // through a function of this file that makes one.
    let llm: boolean | undefined;
    const llmFile = (): boolean => (llm ??= model.seenAnyModule(LLM_MODULES));
    const helpers = (): Set<string> =>
      model.memo('row-wise-predict:llm-helpers', () => {
        const llmHelpers = new Set<string>();
        for (const c of model.calls) {
          if (!llmCallSdk(model, c)) continue;
          const fn = model.enclosingFunctionAt(c.startIndex);
          const name = fn?.childForFieldName('name')?.text;
          if (name) llmHelpers.add(name);
        }
        return llmHelpers;
      });
    /** The SDK (or the helper) when `call` sends a request to an LLM, directly or through a helper of this file. */
    const llmWhat = (call: SyntaxNode): string | undefined => {
      const sdk = llmCallSdk(model, call);
      if (sdk) return sdk;
      const fn = model.functionOf(call);
      if (fn?.type === 'identifier' && helpers().has(fn.text) && !model.callee(call)) return `${fn.text}()`;
      return undefined;
    };
    const iteratesRows = (iterable: SyntaxNode | undefined, depth = 0): boolean => {
      if (!iterable || iterable.type !== 'call' || depth > 3) return false;
      const method = model.method(iterable);
      if (method && ROW_ITERATORS.has(method.name)) return true;
      // `df.to_dict("records")`, `df.to_dict(orient="records")`: one dict per row.
      if (method?.name === 'to_dict' && stringValue(keywordArgument(iterable, 'orient') ?? positionalArguments(iterable)[0] ?? iterable) === 'records')
        return true;
      const callee = model.callee(iterable);
      return callee !== undefined && WRAPPERS.has(callee) && iteratesRows(positionalArguments(iterable)[0], depth + 1);
    };
    const reportLlm = (call: SyntaxNode, what: string): void => {
      context.report({
        node: call,
        message: `LLM call (${what}) made once per DataFrame row: one request per row is slow, costly and hits rate limits; send rows in batches (the provider's batch API) or with bounded concurrency (\`asyncio.Semaphore\` with the async client)`,
      });
    };
    const llmInRowLoop = (call: SyntaxNode): void => {
      const what = llmWhat(call);
      if (!what) return;
      const args = call.childForFieldName('arguments');
      if (!args) return;
      const used = namesIn(args);
      for (const loop of loopsAround(call)) {
        if (!loop.target || !iteratesRows(loop.iterable)) continue;
        const fromRow = propagate(loop.body, targetNames(loop.target));
        if ([...used].some((name) => fromRow.has(name))) {
          reportLlm(call, what);
          return;
        }
      }
    };
    /** `df.apply(lambda r: ask(r.text), axis=1)`, `df["col"].apply(ask)`. */
    const llmInApply = (call: SyntaxNode): void => {
      const fn = positionalArguments(call)[0];
      if (!fn) return;
      if (fn.type === 'identifier') {
        if (helpers().has(fn.text) && !model.qualifiedName(fn)) reportLlm(call, `${fn.text}()`);
        return;
      }
      if (fn.type !== 'lambda') return;
      const body = fn.childForFieldName('body');
      if (!body) return;
      for (const inner of body.type === 'call' ? [body, ...descendants(body, 'call')] : descendants(body, 'call')) {
        const what = llmWhat(inner);
        if (what) {
          reportLlm(inner, what);
          return;
        }
      }
    };

    const report = (call: SyntaxNode, what: string): void => {
      context.report({
        node: call,
        message: `\`${what}\` called once per row inside a loop: call it once on the whole batch (e.g. \`${what}(X)\`) and iterate over the results`,
      });
    };

    // The loops and lambdas around the node being visited, outermost first, with their end offsets
    // (nodes arrive in document order): a call's loops are read from here, not by walking up its
    // parents, and a call that no loop contains is skipped at once.
    type Open = { node: SyntaxNode; end: number };
    const openLoops: Open[] = [];
    const openLambdas: Open[] = [];
    const close = (stack: Open[], offset: number): void => {
      while (stack.length > 0 && stack[stack.length - 1].end <= offset) stack.pop();
    };
    const enter =
      (stack: Open[]) =>
      (node: SyntaxNode): void => {
        const start = node.startIndex;
        close(stack, start);
        stack.push({ node, end: node.endIndex });
      };
    const enterLoop = enter(openLoops);
    const inLoop = (call: SyntaxNode): boolean => {
      close(openLoops, call.startIndex);
      return openLoops.length > 0;
    };
    /** `enclosingLoops(call)`: the open loops inside the call's own function, class or lambda. */
    const loopsAround = (call: SyntaxNode): Loop[] => {
      const start = call.startIndex;
      close(openLambdas, start);
      const lambda = openLambdas.length > 0 ? openLambdas[openLambdas.length - 1].node.startIndex : -1;
      const boundary = Math.max(lambda, model.enclosingFunctionAt(start)?.startIndex ?? -1, model.enclosingClassAt(start)?.startIndex ?? -1);
      const containers: SyntaxNode[] = [];
      for (let i = openLoops.length - 1; i >= 0 && openLoops[i].node.startIndex > boundary; i--) containers.push(openLoops[i].node);
      return loopsIn(containers, call);
    };

    return {
      for_statement: enterLoop,
      while_statement: enterLoop,
      list_comprehension: enterLoop,
      set_comprehension: enterLoop,
      dictionary_comprehension: enterLoop,
      generator_expression: enterLoop,
      lambda: enter(openLambdas),
      call(call) {
        const looped = inLoop(call);
        if (llmFile()) {
          if (looped) llmInRowLoop(call);
          const name = model.method(call)?.name;
          // (`executor.map(fn, rows)` is bounded concurrency, the remedy: only `Series.map(fn)` with one argument.)
          if (name === 'apply' || name === 'progress_apply' || (name === 'map' && positionalArguments(call).length === 1)) llmInApply(call);
        }
        const method = model.method(call);
        // (A LangChain model's `predict(prompt)` is an LLM call: rows only, see above.)
        if (method && PREDICT_METHODS.has(method.name) && !model.callee(call) && !(llmFile() && llmCallSdk(model, call))) {
          const args = looped ? call.childForFieldName('arguments') : null;
          if (args && rowWise(call, args, false, method.receiver)) report(call, `${dottedText(method.receiver) ?? 'model'}.${method.name}`);
          return;
        }
        // `df.apply(lambda row: model.predict(...), axis=1)`
        if (method?.name === 'apply') {
          if (!call.childForFieldName('arguments')) return;
          const axis = keywordArgument(call, 'axis');
          if (!axis || (axis.text !== '1' && stringValue(axis) !== 'columns')) return;
          const fn = positionalArguments(call)[0];
          if (fn?.type !== 'lambda') return;
          const params = fn.childForFieldName('parameters');
          const body = fn.childForFieldName('body');
          if (!params || !body) return;
          const rowNames = new Set(params.namedChildren.map((p) => p?.text ?? ''));
          const visit = (node: SyntaxNode): void => {
            if (node.type === 'call') {
              const inner = model.method(node);
              const innerArgs = node.childForFieldName('arguments');
              if (inner && PREDICT_METHODS.has(inner.name) && innerArgs && [...namesIn(innerArgs)].some((n) => rowNames.has(n))) {
                report(node, `${dottedText(inner.receiver) ?? 'model'}.${inner.name}`);
              }
            }
            for (const child of node.namedChildren) if (child) visit(child);
          };
          visit(body);
          return;
        }
        if (!looped) return;
        const args = call.childForFieldName('arguments');
        if (!args) return;
        // The loop first (it reads this statement only), the file's torch facts only for a call in a loop over rows.
        if (!rowWise(call, args, true)) return;
        const target = torch()?.forwardTarget(call);
        if (target) report(call, dottedText(target) ?? 'model');
      },
    };
  },
});
