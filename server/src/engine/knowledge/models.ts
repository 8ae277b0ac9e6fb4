/**
 * Model loading and inference: calls that read a model from disk or a hub (slow, often
 * unpickling), and methods that run a model synchronously.
 */

/** Calls that read a model from disk (or a hub) and build it in memory. */
export const MODEL_LOADERS: ReadonlySet<string> = new Set([
  'joblib.load', 'sklearn.externals.joblib.load', 'pickle.load', 'pickle.loads', '_pickle.load', 'cPickle.load', 'dill.load', 'cloudpickle.load',
  'torch.load', 'torch.jit.load', 'tensorflow.keras.models.load_model', 'keras.models.load_model', 'keras.saving.load_model',
  'tensorflow.saved_model.load', 'onnxruntime.InferenceSession', 'transformers.pipeline', 'sentence_transformers.SentenceTransformer',
  'spacy.load', 'skops.io.load', 'xgboost.Booster', 'lightgbm.Booster',
]);

/** `mlflow.<flavour>.load_model`. */
export const MLFLOW_LOAD_MODEL = /^mlflow\.\w+\.load_model$/;

/** True when a qualified callee loads a model (`joblib.load`, `mlflow.sklearn.load_model`, ...). */
export function isModelLoader(qualified: string): boolean {
  return MODEL_LOADERS.has(qualified) || MLFLOW_LOAD_MODEL.test(qualified);
}

/** Methods that run a model synchronously on its inputs (scikit-learn, Keras, transformers' `generate`). */
export const SYNC_INFERENCE_METHODS: ReadonlySet<string> = new Set(['predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'generate', 'encode', 'transcribe']);

/** Module functions that run a model or load one synchronously: blocking inside an event loop. */
export const BLOCKING_MODEL_FUNCTIONS: ReadonlySet<string> = new Set(['joblib.load', 'torch.load', 'pickle.load', 'tensorflow.keras.models.load_model', 'keras.models.load_model']);
