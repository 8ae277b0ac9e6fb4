import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { dottedText, nameSetFact, type SemanticModel } from '../semantic';
import { ownCopy } from '../text';
import { argument, keywordArgument, positionalArguments } from '../calls';
import { literalText, stringValue } from '../literals';
import { resolveValue, withOpenPath } from '../dataflow';
import {
  ARTIFACT_LOGGING_FUNCTIONS,
  ARTIFACT_LOGGING_METHODS,
  ARTIFACT_RETURNING_STEPS,
  HUB_MODULE,
  HUB_UPLOAD_PATH_KEYWORDS,
  MODEL_SAVERS as SAVE_FUNCTIONS,
  SAVE_METHODS,
  TRACKING_MODULES,
} from '../knowledge';
import { decoratorsOf, handsBack } from '../tree-queries';

const MODEL_TYPES =
  /^(sklearn|xgboost|lightgbm|catboost|tensorflow|keras|torch\.nn|torchvision\.models|transformers|sentence_transformers|timm|statsmodels|prophet|ultralytics|imblearn\.pipeline|peft|unsloth)\b/;
const NOT_MODEL_TYPES =
  /Tokeni[sz]er|Processor|FeatureExtractor|Config|Scaler|Encoder|Imputer|Vectori[sz]er|^sklearn\.(preprocessing|impute|feature_extraction|feature_selection|compose)|DataFrame|Series|^numpy|^pandas|^builtins/;
const MODEL_NAME =
  /model|clf|classifier|regressor|estimator|pipe|net$|^net|booster|forest|^rf|xgb|lgbm|gbm|svm|svc|svr|knn|ensemble|learner|predictor|search|^best|^trainer$|^bst$|^gs$|^cv$/i;
const DATA_NAME =
  /column|feature|vocab|config|cfg|param|metric|histor|result|stats|mapping|label|classes|encoder|scaler|tokeni[sz]er|^df|data|^x|^y$|names|schema|thresholds?$|report/i;
/** Something in the destination that changes per run: a field, a date, a version, a run id, an epoch or step. */
const VARYING_LITERAL = /\{|%|\$|\d{8}|\d{4}-\d{2}-\d{2}|(^|[^a-z])v\d+|version|epoch|step|run[_-]?id|timestamp/i;
/** A name that says it holds a version, run id or timestamp (`model_version`, `cfg.version`, `run_id`): its value changes per release. */
const VARYING_NAME = /version|(^|_)ver$|(^|_)v$|run_?id|timestamp|(^|_)ts$|(^|_)stamp$|(^|_)tag$|revision|git_?sha|commit/i;
const PATH_CALLS = new Set(['os.path.join', 'pathlib.Path', 'pathlib.PurePath', 'builtins.str', 'os.path.abspath', 'os.path.expanduser', 'builtins.open']);

/** The one string a fixed destination names (`"regressor.pkl"`, also through `with open(...) as f` and constants), if it is one. */
function literalPath(model: SemanticModel, expr: SyntaxNode | undefined, depth = 0): string | undefined {
  if (!expr || depth > 8) return undefined;
  if (expr.type === 'string') return stringValue(expr);
  if (expr.type === 'identifier') {
    const opened = withOpenPath(model, expr.text, expr);
    if (opened) return literalPath(model, opened, depth + 1);
    const value = resolveValue(model, expr);
    return value !== expr ? literalPath(model, value, depth + 1) : undefined;
  }
  if (expr.type === 'call' && model.callee(expr) === 'builtins.open') return literalPath(model, positionalArguments(expr)[0], depth + 1);
  return undefined;
}

/**
 * The local files the file hands to an experiment tracker, which versions them by run
 * (`artifact.add_file("regressor.pkl")`), or uploads to the Hugging Face Hub, which keeps each
 * upload as a commit (`api.upload_folder(folder_path=model_path, ...)`): a file-level fact, so a statement that asks keeps its
 * findings between edits as long as the answer holds (its question is recorded, not the whole file).
 */
const TRACKED_FILES = nameSetFact('unversioned-artifact:tracked-files', (model) => {
  const paths = new Set<string>();
  const hub = model.seenModule(HUB_MODULE);
  for (const call of model.calls) {
    const callee = model.callee(call);
    if (hub) {
      const name = callee?.startsWith(`${HUB_MODULE}.`) ? callee.slice(callee.lastIndexOf('.') + 1) : model.methodName(call);
      const keyword = name === undefined ? undefined : HUB_UPLOAD_PATH_KEYWORDS.get(name);
      const path = keyword === undefined ? undefined : literalPath(model, keywordArgument(call, keyword));
      if (path !== undefined) {
        paths.add(ownCopy(path));
        continue;
      }
    }
    const method = callee ? undefined : model.methodName(call);
    if (!(callee && ARTIFACT_LOGGING_FUNCTIONS.has(callee)) && !(method && ARTIFACT_LOGGING_METHODS.has(method))) continue;
    // (`MlflowClient().log_artifact(run_id, local_path)`: the path is the string argument.)
    for (const arg of [keywordArgument(call, 'local_path'), ...positionalArguments(call)]) {
      const path = literalPath(model, arg);
      if (path !== undefined) paths.add(ownCopy(path));
    }
  }
  return paths;
});

/**
 * The objects the file pushes to the Hugging Face Hub (`trainer.push_to_hub(...)`,
 * `model.push_to_hub("me/model")`), by their dotted name: each push is a commit of the Hub
 * repository, so the same object's local save beside it is a staging copy.
 */
const PUSHED_TO_HUB = nameSetFact('unversioned-artifact:pushed-to-hub', (model) => {
  const pushed = new Set<string>();
  if (!model.mentions('push_to_hub')) return pushed;
  for (const call of model.calls) {
    const method = model.method(call);
    const receiver = method?.name === 'push_to_hub' ? dottedText(method.receiver) : undefined;
    if (receiver) pushed.add(receiver);
  }
  return pushed;
});

/** True when `call` lies in a pipeline step (ARTIFACT_RETURNING_STEPS) that returns the variable `name`, alone or in a tuple. */
function returnedByArtifactStep(model: SemanticModel, call: SyntaxNode, name: string): boolean {
  if (!model.seenModule('zenml')) return false;
  const step = model
    .enclosingFunctionsAt(call.startIndex)
    .find((fn) =>
      decoratorsOf(fn).some((decorator) =>
        ARTIFACT_RETURNING_STEPS.has(model.qualifiedName(decorator.type === 'call' ? decorator.childForFieldName('function') : decorator) ?? ''),
      ),
    );
  return step !== undefined && handsBack(step, name);
}

export default defineRule({
  name: 'unversioned-artifact',
  category: 'tracking',
  severity: 'warning',
  scope: 'statement',
  summary: 'A trained model is saved to a fixed file name: every run overwrites the last one.',
  docs: {
    what: 'Flags saving a trained model (`pickle.dump`, `joblib.dump`, `torch.save`, `model.save`, `save_model`, `save_pretrained`, `save_weights`) to a destination that is a fixed literal, with nothing in it that varies per run: no f-string or format field, timestamp, hash, run id, version, epoch or step.',
    why: 'A fixed name means each training run silently replaces the previous model. When the new model turns out worse, there is nothing to roll back to; when a prediction is questioned, nobody can say which model made it; and two jobs running at once overwrite each other. A version, run id or timestamp in the name (or a model registry) makes every artefact traceable to the run that made it.',
    example: 'import joblib\n\njoblib.dump(clf, "models/churn.joblib")',
    useInstead:
      'import joblib\nfrom datetime import datetime, timezone\n\nversion = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")\njoblib.dump(clf, f"models/churn-{version}.joblib")',
    notes:
      'Only models are flagged, decided by what the object is: an estimator, booster, Keras/PyTorch/Hugging Face model, pipeline or trainer, a `state_dict()`, or a checkpoint dict holding one; when the class cannot be seen, by its name (`model`, `clf`, `pipe`, `best_estimator_`, ...). Lists, dicts of column names, configs, metrics, tokenizers and fitted scalers or encoders are not models and are not flagged. The destination is followed through constants, `os.path.join`, `pathlib` joins and `open(...)`/`with open(...) as fh`: an f-string or join made only of constants is still fixed and is flagged, while a path from an argument, the environment or a CLI option is not (the caller decides it). A literal that already carries a version (`model_v3.pkl`, a date) counts as versioned, and so does a name or attribute that says it holds one (`os.path.join(MODEL_DIR, model_version)`, `f"models/{cfg.version}/clf.joblib"`, `run_id`, `timestamp`, `tag`), whatever its value: the value is what gets bumped per release. A fixed local file that the same file then hands to an experiment tracker (`mlflow.log_artifact(path)`, `wandb.save(path)`, W&B `artifact.add_file(path)`, `run.log_artifact(path)`) is a staging copy the tracker versions by run, and is not flagged, as is a fixed local file or folder the file then uploads to the Hugging Face Hub (`HfApi().upload_folder(folder_path=model_path, ...)`, `upload_file(path_or_fileobj=...)`), which keeps every upload as a commit, and a save of an object the file also pushes to the Hub (`trainer.save_model(output_dir)`, then `trainer.push_to_hub()`; `model.save_pretrained("out")`, then `model.push_to_hub("me/model")`); so is a local file or folder that a ZenML `@step` returns (`trainer.save_model(ft_model_dir)` then `return ft_model_dir`): ZenML stores a step\'s outputs as versioned artifacts.',
  },
  create(context) {
    const { model } = context;
    // A file-level fact from the model's memos (never kept here), so each statement that asks is seen asking.
    const fittedNames = (): Set<string> =>
      model.memo('unversioned-artifact:fitted', () => {
        const fitted = new Set<string>();
        for (const call of model.calls) {
          const method = model.method(call);
          if (method && /^(fit|fit_predict|partial_fit|train|predict|predict_proba)$/.test(method.name)) {
            const text = dottedText(method.receiver);
            if (text) fitted.add(text);
          }
        }
        return fitted;
      });

    const isModel = (expr: SyntaxNode | undefined, depth = 0): boolean => {
      if (!expr || depth > 6) return false;
      switch (expr.type) {
        case 'list':
        case 'tuple':
        case 'set':
        case 'string':
        case 'integer':
        case 'float':
        case 'list_comprehension':
        case 'dictionary_comprehension':
        case 'set_comprehension':
        case 'concatenated_string':
          return false;
        case 'dictionary':
          // A checkpoint dict is a model when it holds one (`{"model": model.state_dict(), "epoch": e}`).
          return expr.namedChildren.some((pair) => pair?.type === 'pair' && isModel(pair.childForFieldName('value') ?? undefined, depth + 1));
        case 'parenthesized_expression':
          return isModel(expr.namedChild(0) ?? undefined, depth + 1);
        case 'call': {
          const method = model.method(expr);
          if (method?.name === 'state_dict') return !/opt|sched|scaler/i.test(dottedText(method.receiver) ?? '');
          const type = model.constructedType(expr);
          if (type) return MODEL_TYPES.test(type) && !NOT_MODEL_TYPES.test(type);
          return false;
        }
        case 'identifier':
        case 'attribute': {
          const text = dottedText(expr) ?? '';
          // `model, tokenizer = FastLanguageModel.from_pretrained(...)`: both names get the call's type; the name tells them apart.
          if (/tokeni[sz]er|processor$/i.test(text.split('.').pop() ?? '')) return false;
          const type = model.constructedType(expr);
          if (type) return MODEL_TYPES.test(type) && !NOT_MODEL_TYPES.test(type);
          const assigned = model.valueOf(text, expr);
          if (
            assigned &&
            assigned.index === undefined &&
            assigned.value.type !== 'call' &&
            assigned.value.type !== 'identifier' &&
            assigned.value.type !== 'attribute'
          ) {
            return isModel(assigned.value, depth + 1);
          }
          const last = text.split('.').pop() ?? '';
          if (DATA_NAME.test(last)) return false;
          return MODEL_NAME.test(last) || fittedNames().has(text);
        }
        default:
          return false;
      }
    };

    /** True when the destination is the same on every run; false when anything in it varies or is unknown. */
    const fixed = (expr: SyntaxNode | undefined, depth = 0): boolean => {
      if (!expr || depth > 8) return false;
      if (
        (expr.type === 'identifier' || expr.type === 'attribute') &&
        VARYING_NAME.test(expr.type === 'identifier' ? expr.text : (expr.childForFieldName('attribute')?.text ?? ''))
      )
        return false;
      if (expr.type === 'identifier') {
        const opened = withOpenPath(model, expr.text, expr);
        if (opened) return fixed(opened, depth + 1);
        const value = resolveValue(model, expr);
        return value !== expr && fixed(value, depth + 1);
      }
      switch (expr.type) {
        case 'string': {
          const value = stringValue(expr);
          if (value !== undefined) return !VARYING_LITERAL.test(value);
          // An f-string is fixed only when every field is a fixed constant.
          const parts = expr.namedChildren.filter((c): c is SyntaxNode => c?.type === 'interpolation');
          const literal = literalText(expr);
          if (VARYING_LITERAL.test(literal.replace(/[{}]/g, ''))) return false;
          return parts.every((part) => {
            const inner = part.childForFieldName('expression') ?? part.namedChild(0);
            return inner !== null && part.childForFieldName('format_specifier') === null && fixed(inner, depth + 1);
          });
        }
        case 'concatenated_string':
          return expr.namedChildren.every((c) => c !== null && fixed(c, depth + 1));
        case 'parenthesized_expression':
          return fixed(expr.namedChild(0) ?? undefined, depth + 1);
        case 'binary_operator': {
          const operator = expr.childForFieldName('operator')?.text;
          if (operator !== '+' && operator !== '/') return false;
          return fixed(expr.childForFieldName('left') ?? undefined, depth + 1) && fixed(expr.childForFieldName('right') ?? undefined, depth + 1);
        }
        case 'call': {
          const callee = model.callee(expr);
          if (!callee || !PATH_CALLS.has(callee)) return false;
          const args = callee === 'builtins.open' ? positionalArguments(expr).slice(0, 1) : positionalArguments(expr);
          return args.length > 0 && args.every((arg) => fixed(arg, depth + 1));
        }
        default:
          return false;
      }
    };

    const report = (call: SyntaxNode, what: string, destination: SyntaxNode): void => {
      const path = literalPath(model, destination);
      // A fixed local name that the file then logs to a tracker is a staging copy: the tracker versions it.
      if (path !== undefined && (model.seenAnyModule(TRACKING_MODULES) || model.seenModule(HUB_MODULE)) && model.factHas(TRACKED_FILES, path)) return;
      // So is what the object saved is pushed to the Hub by the same file (`trainer.save_model(out)`,
      // then `trainer.push_to_hub()`): the Hub keeps each push as a commit.
      const saver = model.method(call)?.receiver;
      const saverName = saver ? dottedText(saver) : undefined;
      if (saverName !== undefined && model.factHas(PUSHED_TO_HUB, saverName)) return;
      // So is a name a ZenML step returns: ZenML stores the step's outputs as versioned artifacts.
      if (destination.type === 'identifier' && returnedByArtifactStep(model, call, destination.text)) return;
      // (A file handle or a constant is shown as the path it stands for: `"regressor.pkl"`, not `f`.)
      const shown = destination.type !== 'string' && path !== undefined ? `"${path}"` : destination.text;
      context.report({
        node: call,
        message: `\`${what}\` saves the model to the fixed name ${shown.length <= 60 ? `\`${shown}\`` : 'above'}: each run overwrites the last; put a version, run id or timestamp in the name, or use a model registry`,
      });
    };

    return {
      call(call) {
        const qualified = model.callee(call);
        const spec = qualified
          ? (SAVE_FUNCTIONS.get(qualified) ??
            (/^mlflow\.\w+\.save_model$/.test(qualified) ? { object: [0, 'model'] as [number, string], path: [1, 'path'] as [number, string] } : undefined))
          : undefined;
        if (spec) {
          const object = argument(call, spec.object[0], spec.object[1]);
          const destination = argument(call, spec.path[0], spec.path[1]);
          if (destination && isModel(object) && fixed(destination)) report(call, qualified!.replace(/^_pickle/, 'cPickle'), destination);
          return;
        }
        const method = model.method(call);
        if (!method || qualified) return;
        const keyword = SAVE_METHODS.get(method.name);
        if (!keyword) return;
        const destination = keywordArgument(call, keyword) ?? keywordArgument(call, 'path') ?? positionalArguments(call)[0];
        if (!destination) return;
        const receiverType = model.constructedType(method.receiver) ?? '';
        const isTrainer = /Trainer$/.test(receiverType) || /trainer$/i.test(dottedText(method.receiver) ?? '');
        if (!isTrainer && !isModel(method.receiver)) return;
        if (fixed(destination)) report(call, `${dottedText(method.receiver) ?? 'model'}.${method.name}`, destination);
      },
    };
  },
});
