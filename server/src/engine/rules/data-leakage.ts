import { defineRule, type RuleContext } from '../rule';
import { dottedText, type SemanticModel } from '../semantic';
import { positionalArguments } from '../calls';
import type { SyntaxNode } from '../parser';
import { PIPELINES, PREPROCESSING_COMPOSITES, PREPROCESSING_MODULES } from '../knowledge';
import { cellLabel, findCell, locateInNotebook } from '../notebook';
import { lowerBound } from '../sorted';

/** Stateless transformers and label encoders: fitting them on everything leaks nothing worth a warning. */
const NOT_LEAKING = new Set([
  'FunctionTransformer',
  'Normalizer',
  'Binarizer',
  'PolynomialFeatures',
  'SplineTransformer',
  'HashingVectorizer',
  'FeatureHasher',
  'LabelEncoder',
  'LabelBinarizer',
  'MultiLabelBinarizer',
  'Pipeline',
  'make_pipeline',
]);
const FIT_METHODS = new Set(['fit', 'fit_transform', 'fit_resample']);
const TRANSFORM_METHODS = new Set(['transform', 'resample']);
/** Calls that split data into train and test, or cross-validate on it. */
const SPLITS = new Set([
  'sklearn.model_selection.train_test_split',
  'sklearn.cross_validation.train_test_split',
  'sklearn.model_selection.cross_val_score',
  'sklearn.model_selection.cross_validate',
  'sklearn.model_selection.cross_val_predict',
]);
const SPLITTER_MODULE = 'sklearn.model_selection.';

interface Fit {
  call: SyntaxNode;
  type: string;
}

type Taint = ReadonlySet<Fit>;
const CLEAN: Taint = new Set();

export default defineRule({
  name: 'data-leakage',
  category: 'data',
  severity: 'error',
  summary: 'A preprocessing step is fitted on data that is split into train and test afterwards, so the test set leaks into training.',
  requiresImport: ['sklearn', 'imblearn', 'category_encoders'],
  docs: {
    what: "Follows the data through the file or notebook, in order: it flags a preprocessing step (scalers, encoders, imputers, feature selectors, `PCA` and other decompositions, vectorizers, resamplers such as SMOTE, a `ColumnTransformer`) fitted with `fit`, `fit_transform` or `fit_resample` on data whose transformed result later flows into `train_test_split` (or `cross_val_score`, `cross_validate`, `cross_val_predict`, a splitter's `.split`), directly or through reassigned variables, slices and wrappers such as `pd.DataFrame(...)`. The finding is at the fit call. In a notebook, a scaler fitted in one cell and split in a later one is found the same way.",
    why: "A scaler fitted on all rows learns the test rows' mean and variance; a feature selector picks features by their correlation with the test labels; SMOTE creates synthetic training rows from test rows and puts near-copies on both sides of the split. The test score then measures data the model has already seen: it is optimistic, and the model disappoints in production, where no such help exists.",
    example:
      'from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n\nX = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)',
    useInstead:
      'from sklearn.model_selection import train_test_split\nfrom sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.linear_model import LogisticRegression\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nmodel = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)',
    notes:
      'Not flagged: a step fitted on a training split (any output of an earlier split, or data derived from one, including folds from a splitter\'s `.split` in a loop); steps inside a `Pipeline`, `make_pipeline` or `ColumnTransformer` that is itself fitted with `fit` (the pipeline is fitted on what it is given, usually the training split); a fit whose output never reaches a split, such as a PCA fitted only to plot the data or an encoder fitted on a fixed list of categories. Stateless transformers (`FunctionTransformer`, `Normalizer`, `Binarizer`, `PolynomialFeatures`, `HashingVectorizer`) learn nothing from the rows and are not flagged, nor are `LabelEncoder`/`LabelBinarizer` on the target, whose only "statistic" is the set of classes. Variables are followed by name within a function and at module level; data passed through a function call of the user\'s own is not followed. A step fitted on all the data, split later, and applied only to the splits (`scaler.fit(X)`, then `scaler.transform(X_train)`) leaks too but is not reported, because the fitted result does not flow into the split; fit after splitting.',
  },
  create(context) {
    const { model } = context;
    return {
      'file:end'() {
        analyse(context.model, (fit, split) => {
          const name = fit.type.split('.').pop();
          const where = splitPlace(context, fit.call, split);
          const method = model.method(fit.call)?.name ?? 'fit';
          context.report({
            node: fit.call,
            message: `\`${name}\` is fitted (\`${method}\`) on data that is split into train and test afterwards (${where}): it learns from the test rows, so test scores are optimistic; split first and fit it on the training split only, or put it in a Pipeline`,
          });
        });
      },
    };
  },
});

/** Walks calls and assignments in program order, carrying which names hold data a full-data fit produced. */
function analyse(model: SemanticModel, report: (fit: Fit, split: SyntaxNode) => void): void {
  // Cheap guard: a leak needs a fit and a split; most files have neither.
  const fitCalls = model.calls.filter((call) => FIT_METHODS.has(model.methodName(call) ?? ''));
  if (fitCalls.length === 0) return;
  if (!model.calls.some((call) => model.methodName(call) === 'split' || isSplitName(model.callee(call)))) return;
  const taints = new Map<string, Taint>();
  const fitted = new Map<string, Taint>();
  const splitDerived = new Set<string>();
  const reported = new Set<SyntaxNode>();
  const fitTaint = new Map<number, Taint>();
  /** Every fit of a preprocessing step: the taint its fitted state carries (clean when fitted on a training split). */
  const fitOrigin = new Map<number, Taint>();

  const key = (scope: number, name: string): string => `${scope}:${name}`;
  const lookup = <T>(map: Map<string, T>, name: string, at: SyntaxNode): T | undefined =>
    map.get(key(model.scopeAt(at.startIndex), name)) ?? map.get(key(-1, name));
  const isSplitDerived = (name: string, at: SyntaxNode): boolean =>
    splitDerived.has(key(model.scopeAt(at.startIndex), name)) || splitDerived.has(key(-1, name));

  // Cheap pre-tests before walking an expression: the first name of every variable that holds
  // split data or leaked data (whatever its scope), and where the leaking fit calls are. An
  // expression whose text names none of them, and that holds no such call, needs no walk.
  const splitRoots = new Set<string>();
  const taintRoots = new Set<string>();
  const leakingFits: number[] = [];
  const rootOf = (name: string): string => {
    const dot = name.indexOf('.');
    return dot === -1 ? name : name.slice(0, dot);
  };
  /** True when a leaking fit starts in [start, end): `leakingFits` grows in document order, so a binary search (a scan per expression was quadratic in long files). */
  const fitBetween = (start: number, end: number): boolean => {
    const first = lowerBound(leakingFits.length, (i) => leakingFits[i], start);
    return first < leakingFits.length && leakingFits[first] < end;
  };
  const namesAny = (text: string, roots: ReadonlySet<string>): boolean => {
    for (const root of roots) if (text.includes(root)) return true;
    return false;
  };

  const mentionsSplitIn = (node: SyntaxNode): boolean => {
    const type = node.type;
    const name = dottedText(node, type);
    if (name !== undefined && isSplitDerived(name, node)) return true;
    if (type === 'identifier') return false;
    return node.namedChildren.some((child) => child !== null && mentionsSplitIn(child));
  };
  const mentionsSplit = (node: SyntaxNode): boolean => splitRoots.size > 0 && namesAny(node.text, splitRoots) && mentionsSplitIn(node);

  /** The taint an expression carries: names that hold leaked data, transforms by leaked steps, full-data fits. */
  const taintOf = (node: SyntaxNode): Taint => {
    if (taintRoots.size === 0 && leakingFits.length === 0) return CLEAN;
    const start = node.startIndex;
    const end = node.endIndex;
    if (!fitBetween(start, end) && !namesAny(model.textOf(start, end), taintRoots)) return CLEAN;
    const result = new Set<Fit>();
    const visit = (current: SyntaxNode): void => {
      const type = current.type;
      if (type === 'identifier' || type === 'attribute') {
        const name = dottedText(current, type);
        if (name !== undefined) {
          for (const fit of lookup(taints, name, current) ?? CLEAN) result.add(fit);
          if (type === 'identifier') return;
        }
      }
      if (type === 'call') {
        for (const fit of fitTaint.get(current.id) ?? CLEAN) result.add(fit);
        const method = model.method(current);
        if (method && TRANSFORM_METHODS.has(method.name)) {
          const receiver = dottedText(method.receiver);
          if (receiver !== undefined) for (const fit of lookup(fitted, receiver, current) ?? CLEAN) result.add(fit);
        }
        // `lambda` and nested function bodies are not evaluated here.
      }
      if (type === 'lambda') return;
      for (const child of current.namedChildren) if (child) visit(child);
    };
    visit(node);
    return result;
  };

  // Data is followed by name within a function and at module level, so a function that fits no
  // preprocessing step can only leak what a module-level fit tainted: when nothing at module level
  // is fitted, the walk needs the module's events and those of the functions that fit a step.
  const fitScopes = new Set<number>();
  /** The preprocessing class of each fit call, by call id (read again in the walk below). */
  const fitTypes = new Map<number, string>();
  for (const call of fitCalls) {
    const type = preprocessorType(model, model.method(call)!.receiver, model.methodName(call)!);
    if (!type) continue;
    fitTypes.set(call.id, type);
    fitScopes.add(model.scopeAt(call.startIndex));
  }
  if (fitScopes.size === 0) return;
  const everyScope = fitScopes.has(-1);
  const walked = (scope: number): boolean => everyScope || scope === -1 || fitScopes.has(scope);

  type Event = { at: number; order: number; call?: SyntaxNode; assignment?: SemanticModel['assignments'][number]; loop?: SyntaxNode };
  const events: Event[] = [];
  // Only the calls that change what the walk carries: the fits of preprocessing steps and the
  // splits (every other call of a walked scope left the state as it was, one event per call of the file).
  for (const call of model.calls) {
    if (!fitTypes.has(call.id) && !isSplit(model, call)) continue;
    if (walked(model.scopeAt(call.startIndex))) events.push({ at: call.startIndex, order: 0, call });
  }
  for (const assignment of model.assignments) if (walked(assignment.scope)) events.push({ at: assignment.start, order: 1, assignment });
  // `for train_idx, test_idx in kf.split(X):` binds fold indices, which are split outputs.
  for (const call of model.calls) {
    if (model.methodName(call) !== 'split' || !walked(model.scopeAt(call.startIndex))) continue; // cheap tests first: `parent` is costly
    const loop = call.parent;
    if (loop?.type === 'for_statement' && loop.childForFieldName('right')?.id === call.id) {
      events.push({ at: call.endIndex, order: 1, loop });
    }
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);

  for (const event of events) {
    if (event.call) {
      const call = event.call;
      // Only the fits of preprocessing steps have a type (most calls are neither: no method read).
      const type = fitTypes.get(call.id);
      if (type) {
        const method = model.method(call)!;
        const data = positionalArguments(call)[0];
        const onTrain = data !== undefined && mentionsSplit(data);
        const taint: Taint = onTrain ? CLEAN : new Set([{ call, type }]);
        fitTaint.set(call.id, method.name === 'fit' ? CLEAN : taint);
        if (method.name !== 'fit' && taint.size > 0) leakingFits.push(call.startIndex);
        fitOrigin.set(call.id, taint);
        const receiver = dottedText(method.receiver);
        if (receiver !== undefined) {
          fitted.set(key(model.scopeAt(call.startIndex), receiver), taint);
          taintRoots.add(rootOf(receiver));
        }
      }
      if (isSplit(model, call)) {
        const args = call.childForFieldName('arguments');
        const taint = args ? taintOf(args) : CLEAN;
        for (const fit of taint) {
          if (reported.has(fit.call)) continue;
          reported.add(fit.call);
          report(fit, call);
        }
      }
      continue;
    }
    if (event.loop) {
      const left = event.loop.childForFieldName('left');
      if (left) {
        for (const name of names(left)) {
          splitDerived.add(key(model.scopeAt(event.loop.startIndex), name));
          splitRoots.add(name);
        }
      }
      continue;
    }
    const assignment = event.assignment!;
    const k = key(assignment.scope, assignment.name);
    const value = assignment.value;
    // `scaler = StandardScaler().fit(X)`: the name holds the fitted step.
    if (fitOrigin.has(value.id)) {
      fitted.set(k, fitOrigin.get(value.id)!);
      taintRoots.add(rootOf(assignment.name));
    }
    if ((value.type === 'call' && isSplit(model, value)) || mentionsSplit(value)) {
      splitDerived.add(k);
      splitRoots.add(rootOf(assignment.name));
      taints.delete(k);
      continue;
    }
    splitDerived.delete(k);
    const taint = taintOf(value);
    if (taint.size > 0) {
      taints.set(k, taint);
      taintRoots.add(rootOf(assignment.name));
    } else {
      taints.delete(k);
    }
  }
}

function names(node: SyntaxNode): string[] {
  if (node.type === 'identifier') return [node.text];
  return node.namedChildren.flatMap((child) => (child ? names(child) : []));
}

function isSplitName(qualified: string | undefined): boolean {
  return qualified !== undefined && (SPLITS.has(qualified) || (qualified.startsWith('sklearn.') && qualified.endsWith('.train_test_split')));
}

function isSplit(model: SemanticModel, call: SyntaxNode): boolean {
  if (isSplitName(model.callee(call))) return true;
  if (model.methodName(call) !== 'split') return false;
  const type = model.constructedType(model.method(call)!.receiver);
  return type !== undefined && type.startsWith(SPLITTER_MODULE);
}

/** The preprocessing class a fit is called on, or undefined for models, pipelines and stateless steps. */
function preprocessorType(model: SemanticModel, receiver: SyntaxNode, method: string): string | undefined {
  const type = model.constructedType(receiver);
  if (!type) return undefined;
  if (PIPELINES.has(type)) return method === 'fit_transform' || method === 'fit_resample' ? type : undefined;
  if (PREPROCESSING_COMPOSITES.has(type)) return type;
  if (!PREPROCESSING_MODULES.some((prefix) => type.startsWith(prefix))) return undefined;
  const name = type.split('.').pop() ?? '';
  if (NOT_LEAKING.has(name)) return undefined;
  // Models that live in these modules are estimators, not preprocessing (e.g. imblearn's ensembles).
  if (/Classifier$|Regressor$|Regression$/.test(name)) return undefined;
  return type;
}

/** Where the split is, for the message: a line of the file, or in a notebook the cell as VS Code numbers it. */
function splitPlace(context: RuleContext, fit: SyntaxNode, split: SyntaxNode): string {
  if (!context.notebook) return `on line ${context.lines.position(split.startIndex).line + 1}`;
  const at = locateInNotebook(context.notebook, context.lines, split.startIndex);
  const line = at.position.line + 1;
  return findCell(context.notebook.cells, fit.startIndex) === at.cell ? `on line ${line} of this cell` : `in ${cellLabel(at.cell)}, line ${line}`;
}
