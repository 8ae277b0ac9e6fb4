/**
 * Model loading and inference: calls that read a model from disk or a hub (slow, often
 * unpickling), and methods that run a model synchronously.
 */

/** Calls that read a model from disk (or a hub) and build it in memory. */
export const MODEL_LOADERS: ReadonlySet<string> = new Set([
  'joblib.load',
  'sklearn.externals.joblib.load',
  'pickle.load',
  'pickle.loads',
  '_pickle.load',
  'cPickle.load',
  'dill.load',
  'cloudpickle.load',
  'torch.load',
  'torch.jit.load',
  'tensorflow.keras.models.load_model',
  'keras.models.load_model',
  'keras.saving.load_model',
  'tensorflow.saved_model.load',
  'onnxruntime.InferenceSession',
  'transformers.pipeline',
  'sentence_transformers.SentenceTransformer',
  'spacy.load',
  'skops.io.load',
  'xgboost.Booster',
  'lightgbm.Booster',
  'safetensors.torch.load_file',
]);

/** `mlflow.<flavour>.load_model`. */
export const MLFLOW_LOAD_MODEL = /^mlflow\.\w+\.load_model$/;

/** BentoML's model store: `bentoml.<framework>.load_model`/`load_runner`/`get` (by tag, e.g. "iris_clf:latest"). */
export const BENTOML_LOAD_MODEL = /^bentoml\.\w+\.(load_model|load_runner|get)$/;

/** True when a qualified callee loads a model (`joblib.load`, `mlflow.sklearn.load_model`, ...). */
export function isModelLoader(qualified: string): boolean {
  return MODEL_LOADERS.has(qualified) || MLFLOW_LOAD_MODEL.test(qualified) || BENTOML_LOAD_MODEL.test(qualified);
}

/** Methods that run a model synchronously on its inputs (scikit-learn, Keras, transformers' `generate`). */
export const SYNC_INFERENCE_METHODS: ReadonlySet<string> = new Set([
  'predict',
  'predict_proba',
  'predict_log_proba',
  'decision_function',
  'generate',
  'encode',
  'transcribe',
]);

/** Module functions that run a model or load one synchronously: blocking inside an event loop. */
export const BLOCKING_MODEL_FUNCTIONS: ReadonlySet<string> = new Set([
  'joblib.load',
  'torch.load',
  'pickle.load',
  'tensorflow.keras.models.load_model',
  'keras.models.load_model',
]);

/** Module functions that save an object (a model, or anything pickled): where the object and the destination are. */
export const MODEL_SAVERS: ReadonlyMap<string, { object: [number, string]; path: [number, string] }> = new Map<
  string,
  { object: [number, string]; path: [number, string] }
>([
  ['pickle.dump', { object: [0, 'obj'], path: [1, 'file'] }],
  ['_pickle.dump', { object: [0, 'obj'], path: [1, 'file'] }],
  ['cPickle.dump', { object: [0, 'obj'], path: [1, 'file'] }],
  ['dill.dump', { object: [0, 'obj'], path: [1, 'file'] }],
  ['cloudpickle.dump', { object: [0, 'obj'], path: [1, 'file'] }],
  ['joblib.dump', { object: [0, 'value'], path: [1, 'filename'] }],
  ['sklearn.externals.joblib.dump', { object: [0, 'value'], path: [1, 'filename'] }],
  ['skops.io.dump', { object: [0, 'obj'], path: [1, 'file'] }],
  ['torch.save', { object: [0, 'obj'], path: [1, 'f'] }],
  ['tensorflow.keras.models.save_model', { object: [0, 'model'], path: [1, 'filepath'] }],
  ['keras.models.save_model', { object: [0, 'model'], path: [1, 'filepath'] }],
  ['keras.saving.save_model', { object: [0, 'model'], path: [1, 'filepath'] }],
  ['tensorflow.saved_model.save', { object: [0, 'obj'], path: [1, 'export_dir'] }],
  ['safetensors.torch.save_file', { object: [0, 'tensors'], path: [1, 'filename'] }],
]);

/** Words every saver's qualified name in `MODEL_SAVERS` holds: a file without them saves nothing (a cheap guard). */
export const SAVER_WORDS: readonly string[] = ['dump', 'save'];

/** Saving anything to MLflow (`mlflow.sklearn.log_model`, `mlflow.pytorch.save_model`). */
export const MLFLOW_SAVE_MODEL = /^mlflow\.\w+\.(save_model|log_model)$/;
/** Methods that save the receiver: `model.save(path)`, `booster.save_model(path)`, `model.save_pretrained(dir)`. */
export const SAVE_METHODS: ReadonlyMap<string, string> = new Map<string, string>([
  ['save', 'filepath'],
  ['save_model', 'output_dir'],
  ['save_pretrained', 'save_directory'],
  ['save_weights', 'filepath'],
]);

/** Serializers to bytes in memory: `pickle.loads(pickle.dumps(x))` reads back what the code itself just made. */
export const IN_MEMORY_SERIALIZERS: ReadonlySet<string> = new Set(['pickle.dumps', '_pickle.dumps', 'cPickle.dumps', 'dill.dumps', 'cloudpickle.dumps']);

/** Loaders that run code found in the data they read (pickle and its kin), with the name a message shows. */
export const UNSAFE_DESERIALIZERS: ReadonlyMap<string, string> = new Map<string, string>([
  ['pickle.load', 'pickle.load'],
  ['pickle.loads', 'pickle.loads'],
  ['pickle.Unpickler', 'pickle.Unpickler'],
  ['_pickle.load', 'cPickle.load'],
  ['_pickle.loads', 'cPickle.loads'],
  ['cPickle.load', 'cPickle.load'],
  ['cPickle.loads', 'cPickle.loads'],
  ['six.moves.cPickle.load', 'cPickle.load'],
  ['six.moves.cPickle.loads', 'cPickle.loads'],
  ['dill.load', 'dill.load'],
  ['dill.loads', 'dill.loads'],
  ['cloudpickle.load', 'cloudpickle.load'],
  ['cloudpickle.loads', 'cloudpickle.loads'],
  ['joblib.load', 'joblib.load'],
  ['sklearn.externals.joblib.load', 'joblib.load'],
  ['pandas.read_pickle', 'pandas.read_pickle'],
]);
