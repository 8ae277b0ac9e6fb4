/**
 * Training: the calls that train a model, used by `untracked-training` (is this call a training
 * run?), `missing-seed` (a Lightning trainer) and the readiness shape (does the project train?).
 */

/** Lightning trainers: they log to TensorBoard or CSV per run unless `logger=False`. */
export const LIGHTNING_TRAINERS: ReadonlySet<string> = new Set([
  'pytorch_lightning.Trainer',
  'lightning.Trainer',
  'lightning.pytorch.Trainer',
  'pytorch_lightning.trainer.Trainer',
  'lightning.pytorch.trainer.Trainer',
]);

/**
 * Lightning's command-line entry points: they build a `Trainer` with its default logger (TensorBoard
 * or CSV logs per run) from the command line or a config file, and save that config beside the logs.
 */
export const LIGHTNING_CLIS: ReadonlySet<string> = new Set([
  'lightning.pytorch.cli.LightningCLI',
  'lightning.pytorch.LightningCLI',
  'pytorch_lightning.cli.LightningCLI',
  'pytorch_lightning.utilities.cli.LightningCLI',
]);

/** Module functions that train a model (the gradient-boosting libraries' functional APIs). */
export const TRAIN_FUNCTIONS: ReadonlySet<string> = new Set(['xgboost.train', 'lightgbm.train', 'catboost.train']);

/** Methods that fit a model to data (scikit-learn, Keras): training unless the receiver is a fitted transformation. */
export const FIT_METHODS: readonly string[] = ['fit', 'fit_predict', 'partial_fit', 'fit_generator', 'train_on_batch'];

/** Trainers and training entry points, by qualified-name prefix: constructing or calling one means the project trains. */
export const TRAINERS: readonly string[] = [
  ...TRAIN_FUNCTIONS,
  ...LIGHTNING_TRAINERS,
  'transformers.Trainer',
  'transformers.Seq2SeqTrainer',
  'trl.SFTTrainer',
  'trl.DPOTrainer',
  'torch.optim',
  'sentence_transformers.SentenceTransformer.fit',
  'statsmodels.api.OLS',
  'ray.train',
  'ray.tune.Tuner',
  'keras.Model.fit',
  'sklearn.model_selection.GridSearchCV',
  'sklearn.model_selection.RandomizedSearchCV',
];
