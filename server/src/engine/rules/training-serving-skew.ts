import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { dottedText } from '../semantic';
import { argument, keywordArgument, positionalArguments } from '../calls';
import { namesIn, rootName, targetNames } from '../dataflow';
import { contains, descendants, functionName } from '../tree-queries';
import {
  isPreprocessingType,
  MLFLOW_SAVE_MODEL,
  MODEL_SAVERS,
  PIPELINE_BUILDERS,
  PREPROCESSING_CLASS,
  PREPROCESSOR_NAME,
  routeFramework,
  SAVE_METHODS,
} from '../knowledge';

const GET_DUMMIES = new Set(['pandas.get_dummies', 'pandas.core.reshape.encoding.get_dummies']);
/** Functions that run at prediction time, by name. */
const PREDICT_FUNCTION =
  /^(predict\w*|\w*_predict|\w*_predictions?|infer\w*|\w*_inference|serve|serving|score|score_\w+|handle|handler|lambda_handler|make_prediction|run_inference|get_prediction|classify\w*|preprocess_(input|request|payload|features)|transform_(input|request|payload))$/i;
/** Data that is not the training set: test, validation, hold-out, new or incoming rows. */
const NOT_TRAINING =
  /(^|_)(test|tst|val|valid|validation|holdout|hold_out|eval|new|unseen|serving|inference|live|prod|production|request|incoming|payload|submission|sub)(_|$|\d)|^(test|val|valid|holdout)/i;
const PERSISTS = /save|dump|log_|checkpoint|register|persist|export|upload|put_object|to_disk|store|serialize|pickle/i;
const FIT_METHODS = new Set(['fit', 'fit_transform']);

export default defineRule({
  name: 'training-serving-skew',
  category: 'data',
  severity: 'warning',
  summary: '`pd.get_dummies` at prediction time, a preprocessor fitted on test or serving data, or a fitted preprocessor that is never saved with the model.',
  requiresImport: ['pandas', 'sklearn', 'category_encoders', 'imblearn'],
  // (1) and (2) are decided per statement; (3) collects the fits and saves per statement and decides at `file:end`.
  scope: 'statement',
  docs: {
    what: 'Flags three ways the features a model sees in production drift from the ones it was trained on. (1) `pd.get_dummies` in a request handler or a prediction function (`predict*`, `*_predict`, `infer*`, `score`, `handler`, ...). (2) `fit`/`fit_transform` of a preprocessor (a scaler, encoder, imputer, vectorizer, selector or projection) on test, validation or serving data (`scaler.fit_transform(X_test)`, `enc.fit(new_df)`), or anywhere in a request handler or prediction function. (3) In a file that fits a preprocessor and saves a model (`joblib.dump`, `pickle.dump`, `torch.save`, `model.save`, `mlflow.*.log_model`), a preprocessor that is never saved and no `Pipeline`/`ColumnTransformer` holding it; reported at its fit.',
    why: "A model is a function of the exact features it was trained on. `get_dummies` on one request makes one column per value present in that request: the columns differ from training in number and order, so the model fails or, worse, scores shifted columns. A scaler or encoder refitted on test or serving data learns their statistics instead of the training set's: the same raw value maps to a different feature, metrics are optimistic and production scores drift with every batch. A preprocessor fitted in training and not saved cannot be applied at serving time, so serving code re-implements it (or refits it) and the two drift apart.",
    example:
      'scaler = StandardScaler()\nX_train_s = scaler.fit_transform(X_train)\nX_test_s = scaler.fit_transform(X_test)\nclf = LogisticRegression().fit(X_train_s, y_train)\njoblib.dump(clf, "model.joblib")\n\ndef predict(payload):\n    X = pd.get_dummies(pd.DataFrame([payload]))\n    return clf.predict(X)',
    useInstead:
      'pipe = make_pipeline(StandardScaler(), LogisticRegression())\npipe.fit(X_train, y_train)\nprint(pipe.score(X_test, y_test))\njoblib.dump(pipe, "model.joblib")\n\ndef predict(payload):\n    # one-hot encoding lives in the pipeline (OneHotEncoder(handle_unknown="ignore")), fitted once\n    return pipe.predict(pd.DataFrame([payload]))',
    notes:
      'A preprocessor counts as saved when it (or an attribute of it, such as its class mapping) is passed to any save call, alone or inside a dict, list or tuple (`joblib.dump({"model": clf, "scaler": scaler}, path)`), to a call that persists (`save_*`, `*dump*`, `log_*`, checkpoints, registries, uploads), or pickled itself; the never-saved check applies only to preprocessors whose class is seen (a scikit-learn scaler, a `TfidfVectorizer`), not to objects recognised by their name alone. A file that builds a `Pipeline`, `make_pipeline` or `ColumnTransformer` is not checked for (3): the preprocessing is likely saved inside it. `get_dummies` followed by `.reindex(columns=<training columns>, fill_value=0)` (or `.align`) puts the columns back and is not flagged; `get_dummies` in training code, and fits on training data (`X_train`, `train_df`, `X`), are not flagged. Test data is recognised by name (`X_test`, `test_df`, `val`, `holdout`, `new_data`, `payload`, ...); a stateless transformer\'s fit is harmless but is flagged like any other because the code reads as a mistake.',
    realCode:
      "On the 61 repositories of the audit: 5 findings, all read, 5 true positives, precision 1.00 (a scaler refitted on `X_test` in a Kaggle notebook, scalers fitted while only the Keras model is saved in handson-ml2 and W255, `get_dummies` in W255's predict route). Two false positives were fixed on the way: sklearnflask realigns `get_dummies` with `reindex(columns=model_columns, fill_value=0)`, and Made-With-ML saves its Ray preprocessor's state in the checkpoint metadata. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit && scripts/audit-checkout.sh <mirrors> /tmp/audit docs/audit/serving-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --list docs/audit/repos.txt,docs/audit/serving-repos.txt --verdicts docs/audit/serving-rules.csv --rules training-serving-skew` (verdicts with their reasons in `docs/audit/serving-rules.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    /** The function enclosing `node` that runs at prediction time, if any: a route handler or a function named for prediction. */
    const servingFunction = (node: SyntaxNode): string | undefined => {
      for (const fn of model.enclosingFunctionsAt(node.startIndex)) {
        const name = functionName(fn);
        if (/train|fit/i.test(name)) continue;
        if (PREDICT_FUNCTION.test(name) || routeFramework(model, fn)) return name;
      }
      return undefined;
    };
    const isPreprocessor = (receiver: SyntaxNode): boolean => {
      const type = model.constructedType(receiver);
      if (type)
        return (
          isPreprocessingType(type) || (!type.startsWith('sklearn.') && PREPROCESSING_CLASS.test(type.split('.').pop() ?? '') && !PIPELINE_BUILDERS.has(type))
        );
      if (receiver.type === 'call') return false;
      const name = (dottedText(receiver) ?? '').split('.').pop() ?? '';
      return PREPROCESSOR_NAME.test(name);
    };

    /**
     * `query = pd.get_dummies(df)` then `query.reindex(columns=model_columns, fill_value=0)` (or `.align`):
     * the columns are put back into the training order and set, the documented remedy.
     */
    const realigned = (call: SyntaxNode): boolean => {
      const fn = model.enclosingFunctionAt(call.startIndex);
      if (!fn) return false;
      let names = new Set<string>();
      for (let up = call.parent; up && up.id !== fn.id; up = up.parent) {
        if (up.type === 'call') {
          const outer = model.method(up);
          if (outer && (outer.name === 'reindex' || outer.name === 'align') && contains(outer.receiver, call)) return true;
        }
        if (up.type === 'assignment') {
          const left = up.childForFieldName('left');
          if (left) names = new Set(targetNames(left));
          break;
        }
      }
      if (names.size === 0) return false;
      return descendants(fn, 'call').some((c) => {
        const m = model.method(c);
        return m !== undefined && (m.name === 'reindex' || m.name === 'align') && c.startIndex > call.startIndex && names.has(rootName(m.receiver) ?? '');
      });
    };

    /** What a call adds to the file-level decision (3): a pipeline, a save (of a model or not, and of which names), a fitted preprocessor. */
    type Fact = { kind: 'pipeline' } | { kind: 'save'; model: boolean; names: string[] } | { kind: 'fit'; holder: string };
    const collect = (call: SyntaxNode, fact: Fact): void => context.collect(call, fact);

    return {
      call(call) {
        const qualified = model.callee(call);
        if (qualified && GET_DUMMIES.has(qualified)) {
          const where = servingFunction(call);
          if (where && !realigned(call)) {
            context.report({
              node: call,
              message: `\`pd.get_dummies\` at prediction time (in \`${where}\`): it makes one column per value present in this input, so the columns differ from training in number and order; fit a \`OneHotEncoder(handle_unknown="ignore")\` in training, save it with the model and call its \`transform\` here`,
            });
          }
          return;
        }
        if (qualified && PIPELINE_BUILDERS.has(qualified)) collect(call, { kind: 'pipeline' });
        if (qualified && (MODEL_SAVERS.has(qualified) || MLFLOW_SAVE_MODEL.test(qualified))) {
          const object = MODEL_SAVERS.has(qualified)
            ? argument(call, MODEL_SAVERS.get(qualified)!.object[0], MODEL_SAVERS.get(qualified)!.object[1])
            : (keywordArgument(call, 'sk_model') ?? positionalArguments(call)[0]);
          const names = object ? [...namesIn(object)] : [];
          const dotted = object ? dottedText(object) : undefined;
          if (dotted) names.push(dotted);
          collect(call, { kind: 'save', model: true, names });
          return;
        }
        // Anything handed to a call that persists (`Checkpoint.from_dict({...: scaler})`, `mlflow.log_dict`,
        // `save_artifacts(scaler, ...)`) counts as saved.
        const called = model.calledName(call);
        if (called && PERSISTS.test(called)) {
          const args = call.childForFieldName('arguments');
          if (args) collect(call, { kind: 'save', model: false, names: [...namesIn(args)] });
        }
        const method = model.method(call);
        if (!method) return;
        if (!qualified && SAVE_METHODS.has(method.name)) {
          const receiver = rootName(method.receiver);
          const type = model.constructedType(method.receiver) ?? '';
          const savesModel =
            /^(sklearn|xgboost|lightgbm|catboost|tensorflow|keras|torch|transformers)\b/.test(type) ||
            /model|clf|net$|estimator|booster|regressor|classifier|pipe|bst$/i.test(receiver ?? '');
          collect(call, { kind: 'save', model: savesModel, names: receiver ? [receiver] : [] });
          return;
        }
        if (!FIT_METHODS.has(method.name) || qualified) return;
        if (!isPreprocessor(method.receiver)) return;
        const data = keywordArgument(call, 'X') ?? keywordArgument(call, 'raw_documents') ?? positionalArguments(call)[0];
        const dataName = data ? rootName(data) : undefined;
        const where = servingFunction(call);
        const receiverText = dottedText(method.receiver) ?? 'the preprocessor';
        if (where) {
          context.report({
            node: call,
            message: `\`${receiverText}.${method.name}\` at prediction time (in \`${where}\`): it learns this input's statistics instead of the training set's, so the same value maps to different features on every request; load the preprocessor fitted in training and call \`transform\``,
          });
          return;
        }
        const dataLast = dataName?.split('.').pop() ?? '';
        // `X_train_val`, `train_and_test` (refitting on everything for the final model) are training data too.
        if (dataName && NOT_TRAINING.test(dataLast) && !/train|full|all/i.test(dataLast)) {
          context.report({
            node: call,
            message: `\`${receiverText}.${method.name}(${dataName})\` fits the preprocessor on test or serving data: it learns their statistics instead of the training set's, so evaluation and production see different features than training; fit on the training data and call \`transform\` here`,
          });
          return;
        }
        // Only a preprocessor whose class is seen (not one recognised by its name) for the never-saved check.
        const type = model.constructedType(method.receiver);
        const holder = method.receiver.type === 'call' || !type ? undefined : dottedText(method.receiver);
        if (holder) collect(call, { kind: 'fit', holder });
      },
      'file:end'() {
        // Preprocessors fitted in the file, by the name that holds them (first fit), and what is saved.
        const fitted = new Map<string, SyntaxNode>();
        const saved = new Set<string>();
        let savesModel = false;
        let pipeline = false;
        for (const { node, data } of context.collected()) {
          const fact = data as Fact;
          if (fact.kind === 'pipeline') pipeline = true;
          else if (fact.kind === 'fit') {
            if (!fitted.has(fact.holder)) fitted.set(fact.holder, node);
          } else {
            if (fact.model) savesModel = true;
            for (const name of fact.names) saved.add(name);
          }
        }
        if (!savesModel || pipeline || fitted.size === 0) return;
        for (const [name, call] of fitted) {
          if (saved.has(name) || saved.has(name.split('.')[0]) || (name.startsWith('self.') && saved.has('self'))) continue;
          context.report({
            node: call,
            message: `\`${name}\` is fitted here but never saved, while the model is: serving cannot apply the same preprocessing and will re-implement or refit it; save it with the model (a \`Pipeline\`, or dump it next to the model)`,
          });
        }
      },
    };
  },
});
