import { defineRule } from '../rule';
import { keywordArgument, keywordArguments, positionalArguments } from '../calls';
import { stringValue } from '../literals';
import type { SemanticModel } from '../semantic';
import type { SyntaxNode } from '../parser';

/** Classification metrics other than accuracy; any use of one means the evaluation is not accuracy-only. */
const OTHER_METRICS = new Set([
  'precision_score',
  'recall_score',
  'f1_score',
  'fbeta_score',
  'roc_auc_score',
  'roc_curve',
  'average_precision_score',
  'precision_recall_curve',
  'precision_recall_fscore_support',
  'balanced_accuracy_score',
  'log_loss',
  'confusion_matrix',
  'multilabel_confusion_matrix',
  'classification_report',
  'matthews_corrcoef',
  'cohen_kappa_score',
  'brier_score_loss',
  'hamming_loss',
  'jaccard_score',
  'det_curve',
  'top_k_accuracy_score',
  'ConfusionMatrixDisplay',
  'RocCurveDisplay',
  'PrecisionRecallDisplay',
  'DetCurveDisplay',
  'auc',
]);
/** Metric classes and functions of other libraries (torchmetrics, Keras, TensorFlow). */
const OTHER_METRIC_CLASSES =
  /^(?:torchmetrics|tensorflow\.keras\.metrics|keras\.metrics|tf\.keras\.metrics|evaluate)\..*(?:F1|Fbeta|Precision|Recall|AUROC|AUC|AveragePrecision|ConfusionMatrix|MatthewsCorrCoef|CohenKappa|CalibrationError|BinaryCrossentropy|CategoricalCrossentropy|LogLoss)/i;
/** Scoring names that are not accuracy (`scoring="f1"`, `metrics=["AUC"]`). */
const OTHER_SCORING =
  /^(?:neg_)?(?:f1|precision|recall|roc_auc|average_precision|balanced_accuracy|log_loss|brier_score|matthews|jaccard|auc|pr_auc|prc|binary_crossentropy|categorical_crossentropy|logloss|crossentropy|mcc|kappa|confusion_matrix)/i;
/** The libraries whose names `isOtherQualified` recognises (`tf.keras` resolves to `tensorflow`). */
const METRIC_LIBRARIES = ['sklearn', 'torchmetrics', 'tensorflow', 'keras', 'evaluate'];
/** Hugging Face metric loaders: `evaluate.load("f1")`, the older `datasets.load_metric("accuracy")`, `evaluate.combine([...])`. */
const HF_METRIC_LOADERS = new Set(['evaluate.load', 'evaluate.combine', 'datasets.load_metric']);
const ACCURACY_SCORING = /^(?:accuracy|acc|binary_accuracy|categorical_accuracy|sparse_categorical_accuracy)$/i;

const CLASSIFIERS = new Set([
  'LogisticRegression',
  'LogisticRegressionCV',
  'SVC',
  'LinearSVC',
  'NuSVC',
  'MultinomialNB',
  'GaussianNB',
  'BernoulliNB',
  'ComplementNB',
  'CategoricalNB',
  'LinearDiscriminantAnalysis',
  'QuadraticDiscriminantAnalysis',
  'Perceptron',
]);
const SEARCHES = /\.(?:GridSearchCV|RandomizedSearchCV|HalvingGridSearchCV|HalvingRandomSearchCV)$/;
const PIPELINES = new Set(['sklearn.pipeline.Pipeline', 'sklearn.pipeline.make_pipeline', 'imblearn.pipeline.Pipeline', 'imblearn.pipeline.make_pipeline']);
const CROSS_VALIDATION = new Set(['sklearn.model_selection.cross_val_score', 'sklearn.model_selection.cross_validate']);

function isClassifierName(qualified: string): boolean {
  const name = qualified.split('.').pop() ?? '';
  const library = qualified.split('.')[0];
  if (!['sklearn', 'xgboost', 'lightgbm', 'catboost', 'imblearn'].includes(library)) return false;
  return /Classifier(?:CV)?$/.test(name) || CLASSIFIERS.has(name);
}

/** True when an expression is a classifier, a pipeline ending in one, or a search over one. */
function isClassifier(model: SemanticModel, expr: SyntaxNode | null | undefined, depth = 0): boolean {
  if (!expr || depth > 6) return false;
  const type = model.constructedType(expr);
  if (!type) return false;
  if (isClassifierName(type)) return true;
  const construction = findConstruction(model, expr);
  if (!construction) return false;
  if (PIPELINES.has(type)) {
    const args = positionalArguments(construction);
    let last: SyntaxNode | null | undefined = args[args.length - 1];
    if (type.endsWith('.Pipeline') && last?.type === 'list') {
      const step = last.namedChildren.filter((child) => child !== null).pop();
      last = step?.type === 'tuple' ? step.namedChildren.filter((child) => child !== null).pop() : undefined;
    }
    return isClassifier(model, last, depth + 1);
  }
  if (SEARCHES.test(type)) return isClassifier(model, keywordArgument(construction, 'estimator') ?? positionalArguments(construction)[0], depth + 1);
  return false;
}

/** The constructor call behind an expression (`clf` → `Pipeline([...])`). */
function findConstruction(model: SemanticModel, expr: SyntaxNode, depth = 0): SyntaxNode | undefined {
  if (depth > 8) return undefined;
  if (expr.type === 'call') {
    const method = model.method(expr);
    if (method && (method.name === 'fit' || method.name === 'set_params')) return findConstruction(model, method.receiver, depth + 1);
    return expr;
  }
  if (expr.type === 'identifier' || expr.type === 'attribute') {
    const assigned = model.valueOf(expr.text, expr);
    return assigned && assigned.index === undefined ? findConstruction(model, assigned.value, depth + 1) : undefined;
  }
  if (expr.type === 'parenthesized_expression' && expr.namedChild(0)) return findConstruction(model, expr.namedChild(0)!, depth + 1);
  return undefined;
}

export default defineRule({
  name: 'accuracy-only',
  category: 'data',
  severity: 'warning',
  summary: 'A classifier is evaluated only with accuracy, and no other classification metric appears in the file or notebook.',
  requiresImport: ['sklearn', 'tensorflow', 'keras', 'torchmetrics', 'evaluate', 'catboost', 'datasets'],
  // Accuracy evaluations and other metrics are found per statement (`collect`); `file:end` decides.
  scope: 'statement',
  docs: {
    what: 'Reports once per file or notebook, at the first accuracy evaluation (`accuracy_score`, a classifier\'s `.score`, `cross_val_score`/`cross_validate` of a classifier with the default or `"accuracy"` scoring, a Keras `compile(metrics=["accuracy"])`), when no other classification metric appears anywhere in it: precision, recall, F1, ROC AUC, average precision, balanced accuracy, log loss, a confusion matrix, a classification report, Matthews correlation (from scikit-learn, torchmetrics or Keras, called, passed as a scorer or named in `scoring=`/`metrics=`/CatBoost\'s `eval_metric=`/`custom_metric=`/`eval_metrics(pool, [...])`, or loaded from Hugging Face `evaluate`). `evaluate.load("accuracy")` (and `datasets.load_metric("accuracy")`) counts as an accuracy evaluation; `evaluate.load` of any other metric counts as another metric.',
    why: 'Accuracy hides what matters in most production classification problems. On a data set with 2 % fraud, a model that never predicts fraud is 98 % accurate. Accuracy says nothing about which errors the model makes, how its scores rank, or whether its probabilities can be trusted for a threshold, so a model can look better and be worse.',
    example: 'from sklearn.metrics import accuracy_score\n\nacc = accuracy_score(y_test, clf.predict(X_test))',
    useInstead:
      'from sklearn.metrics import accuracy_score, classification_report, roc_auc_score\n\nacc = accuracy_score(y_test, clf.predict(X_test))\nauc = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])\nprint(classification_report(y_test, clf.predict(X_test)))',
    notes:
      "A regressor's `.score` is R², not accuracy, and is not counted; nor is `.score` on an object whose class is not known to be a classifier (a parameter, a model loaded from disk), which keeps the rule quiet rather than guess. A pipeline counts as a classifier when its last step is one, a grid or randomized search when its estimator is one. `top_k_accuracy_score` counts as another metric (it looks at the ranking). A metric imported but never used does not count. Hand-written accuracy (`(pred == y).mean()`) is not recognised.",
  },
  create(context) {
    const { model } = context;
    /** Another metric seen in a call handled so far: a first analysis stops looking then. */
    let otherSeen = false;
    /** An accuracy evaluation noted so far. */
    let accuracySeen = false;
    /** Whether a library of `isOtherQualified`'s metrics is imported (asked once the model is filled in). */
    let metricLibraryImported: boolean | undefined;
    /** Collected `data`: the accuracy evaluation's description, or `null` for another metric. */
    const noteAccuracy = (node: SyntaxNode, what: string): void => {
      accuracySeen = true;
      context.collect(node, what);
    };
    const isOtherQualified = (qualified: string | undefined): boolean => {
      if (!qualified) return false;
      if (qualified.startsWith('sklearn.metrics.') && OTHER_METRICS.has(qualified.split('.').pop()!)) return true;
      return OTHER_METRIC_CLASSES.test(qualified);
    };
    const scoringNames = (value: SyntaxNode): string[] => {
      if (value.type === 'string') return [stringValue(value) ?? ''];
      if (value.type === 'list' || value.type === 'tuple' || value.type === 'set')
        return value.namedChildren.flatMap((child) => (child ? scoringNames(child) : []));
      if (value.type === 'dictionary')
        return value.namedChildren.flatMap((pair) =>
          pair?.type === 'pair' && pair.childForFieldName('value') ? scoringNames(pair.childForFieldName('value')!) : [],
        );
      return [];
    };
    return {
      call(call) {
        // Once another metric is seen, the file is fine whatever else it does: in a first analysis
        // the rest is skipped. With incremental analysis (a statement tracked) every statement is
        // looked at on its own, since another one may be reused without its handlers running.
        const tracked = model.tracker !== undefined;
        if (otherSeen && !tracked) return;
        /** Whether this call names another metric (collected once per call). */
        let otherHere = false;
        const noteOther = (): void => {
          if (!otherHere) context.collect(call, null);
          otherHere = otherSeen = true;
        };
        const qualified = model.callee(call);
        if (isOtherQualified(qualified)) noteOther();
        // Scorers passed by reference: `make_scorer(f1_score)`, `metrics=[Precision()]`.
        const isOtherValue = (value: SyntaxNode): boolean => {
          const type = value.type;
          // A name resolves to a metric only through an import of its library: without one, no
          // argument of the file's thousands of calls needs resolving.
          if (!(metricLibraryImported ??= model.seenAnyModule(METRIC_LIBRARIES))) return false;
          return (type === 'identifier' || type === 'attribute') && isOtherQualified(model.qualifiedName(value));
        };
        for (const value of positionalArguments(call)) if (isOtherValue(value)) noteOther();
        for (const [name, value] of keywordArguments(call)) {
          if (isOtherValue(value)) noteOther();
          if (
            /^(?:scoring|metrics|metric|eval_metric|custom_metric|custom_metrics)$/.test(name) &&
            scoringNames(value).some((scoring) => OTHER_SCORING.test(scoring))
          )
            noteOther();
        }
        if (qualified && HF_METRIC_LOADERS.has(qualified)) {
          // A metric loaded by name: accuracy is an accuracy evaluation, any other metric (F1, ROC AUC, but also
          // ROUGE or seqeval) means the evaluation is not accuracy alone.
          const names = [keywordArgument(call, 'path') ?? keywordArgument(call, 'evaluations') ?? positionalArguments(call)[0]].flatMap((value) =>
            value ? scoringNames(value) : [],
          );
          if (names.some((name) => !ACCURACY_SCORING.test(name))) noteOther();
          else if (names.length > 0 && qualified !== 'evaluate.combine') noteAccuracy(call, `\`${qualified.split('.').pop()}("accuracy")\``);
          return;
        }
        // CatBoost: `model.eval_metrics(pool, ["AUC", "F1"])`.
        const named = model.method(call);
        if (named?.name === 'eval_metrics') {
          const metrics = keywordArgument(call, 'metrics') ?? positionalArguments(call)[1];
          if (metrics && scoringNames(metrics).some((scoring) => OTHER_SCORING.test(scoring))) noteOther();
        }
        if (otherHere && accuracySeen && !tracked) return;
        if (qualified?.startsWith('sklearn.') && qualified.endsWith('.accuracy_score')) {
          noteAccuracy(call, '`accuracy_score`');
          return;
        }
        if (qualified && CROSS_VALIDATION.has(qualified)) {
          const scoring = keywordArgument(call, 'scoring');
          const estimator = keywordArgument(call, 'estimator') ?? positionalArguments(call)[0];
          const accuracy =
            scoring === undefined ? true : scoringNames(scoring).length > 0 && scoringNames(scoring).every((name) => ACCURACY_SCORING.test(name));
          if (accuracy && isClassifier(model, estimator)) noteAccuracy(call, `\`${qualified.split('.').pop()}\` with accuracy scoring`);
          return;
        }
        const method = model.method(call);
        if (!method) return;
        if (method.name === 'score' && positionalArguments(call).length + keywordArguments(call).size >= 2 && isClassifier(model, method.receiver)) {
          noteAccuracy(call, "a classifier's `.score` (mean accuracy)");
          return;
        }
        if (method.name === 'compile' && (model.seenModule('tensorflow') || model.seenModule('keras'))) {
          const metrics = keywordArgument(call, 'metrics');
          const names = metrics ? scoringNames(metrics) : [];
          if (names.length > 0 && names.every((name) => ACCURACY_SCORING.test(name))) noteAccuracy(call, 'Keras `metrics=["accuracy"]`');
        }
      },
      'file:end'() {
        const collected = context.collected();
        if (collected.some(({ data }) => data === null)) return;
        const accuracy = collected[0];
        if (!accuracy) return;
        context.report({
          node: accuracy.node,
          message: `This classifier is evaluated only with accuracy (${accuracy.data as string}): on imbalanced data a useless model can score high; also report precision/recall, F1, ROC AUC or a confusion matrix`,
        });
      },
    };
  },
});
