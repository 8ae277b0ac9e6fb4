/**
 * Experiment tracking: the libraries whose import records runs, and the integrations that track
 * without an import of their own (a Lightning logger, a Keras or Ray callback, `report_to=`).
 * One list for `untracked-training` and the readiness item, so both agree on a project.
 */

import { LIGHTNING_CLIS } from './training';

/** Importing one of these is experiment tracking. */
export const TRACKING_MODULES: readonly string[] = [
  'mlflow',
  'wandb',
  'neptune',
  'neptune_client',
  'comet_ml',
  'dvclive',
  'clearml',
  'trains',
  'aim',
  'tensorboardX',
  'torch.utils.tensorboard',
  'tensorboard',
  'sacred',
  'polyaxon',
  'guild',
  'determined',
  // Hugging Face's experiment tracker (a local or Space-hosted dashboard, wandb's API).
  'trackio',
  // Pipeline frameworks that record each run themselves: a ZenML step's parameters and outputs
  // (versioned artifacts, the model among them) and its `log_metadata`; a Metaflow flow's
  // parameters and every `self.` attribute, per run. (zenml-io/zenml-projects: 15 of 17
  // `untracked-training` findings were ZenML steps, all labelled false.)
  'zenml',
  'metaflow',
];

/** Calls that set tracking up through an integration (callbacks, loggers, writers), by qualified name. */
export const TRACKING_INTEGRATIONS: ReadonlySet<string> = new Set([
  'tensorflow.keras.callbacks.TensorBoard',
  'keras.callbacks.TensorBoard',
  'tf_keras.callbacks.TensorBoard',
  'tensorflow.summary.create_file_writer',
  'ray.air.integrations.mlflow.MLflowLoggerCallback',
  'ray.air.integrations.wandb.WandbLoggerCallback',
  'ray.air.integrations.comet.CometLoggerCallback',
  'ray.tune.integration.mlflow.MLflowLoggerCallback',
  'ray.tune.integration.wandb.WandbLoggerCallback',
  'ray.air.callbacks.mlflow.MLflowLoggerCallback',
  'ray.air.callbacks.wandb.WandbLoggerCallback',
  'ray.tune.logger.TBXLoggerCallback',
  'ray.tune.logger.CSVLoggerCallback',
  'transformers.integrations.MLflowCallback',
  'transformers.integrations.WandbCallback',
  'transformers.integrations.TensorBoardCallback',
  'transformers.integrations.CometCallback',
  'transformers.integrations.NeptuneCallback',
  'transformers.integrations.ClearMLCallback',
  'transformers.integrations.DVCLiveCallback',
  'ray.air.integrations.mlflow.setup_mlflow',
  'ray.air.integrations.wandb.setup_wandb',
  'ray.tune.integration.mlflow.mlflow_mixin',
  'optuna.integration.MLflowCallback',
  'optuna.integration.WeightsAndBiasesCallback',
  'optuna_integration.MLflowCallback',
  'optuna_integration.WeightsAndBiasesCallback',
]);

/** Lightning loggers (any class under these modules records the run). */
export const LIGHTNING_LOGGER_MODULES: readonly string[] = [
  'pytorch_lightning.loggers.',
  'lightning.pytorch.loggers.',
  'lightning.loggers.',
  'lightning.fabric.loggers.',
];

/** The Hugging Face keyword that names trackers (`TrainingArguments(report_to="wandb")`); these values track nothing. */
export const REPORT_TO_KEYWORD = 'report_to';
export const REPORT_TO_NONE: ReadonlySet<string> = new Set(['none', '']);

/** True when a qualified callee sets tracking up through an integration (`TensorBoard(...)`, a Lightning logger or `LightningCLI`, a Ray callback). */
export function isTrackingIntegration(qualified: string): boolean {
  if (TRACKING_INTEGRATIONS.has(qualified) || LIGHTNING_CLIS.has(qualified)) return true;
  for (const prefix of LIGHTNING_LOGGER_MODULES) if (qualified.startsWith(prefix)) return true;
  return false;
}

/**
 * Calls that copy a local file into an experiment tracker, where it is versioned by run
 * (`mlflow.log_artifact("model.pkl")`, `wandb.save("model.pkl")`): a fixed local name is then only
 * a staging copy.
 */
export const ARTIFACT_LOGGING_FUNCTIONS: ReadonlySet<string> = new Set(['mlflow.log_artifact', 'wandb.save']);
/** Methods of tracker objects that do the same: W&B's `artifact.add_file(path)`, `run.log_artifact(path)`, `MlflowClient().log_artifact(run_id, path)`. */
export const ARTIFACT_LOGGING_METHODS: ReadonlySet<string> = new Set(['add_file', 'log_artifact']);

/**
 * Uploads of a local file or folder to the Hugging Face Hub (`HfApi().upload_folder(folder_path=...)`),
 * a git repository that keeps every upload as a commit: the local copy is then only staging. The
 * method or function name, and the keyword that names the local path (both are keyword-only).
 */
export const HUB_UPLOAD_PATH_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['upload_folder', 'folder_path'],
  ['upload_large_folder', 'folder_path'],
  ['upload_file', 'path_or_fileobj'],
]);
export const HUB_MODULE = 'huggingface_hub';

/**
 * Decorators of a pipeline step whose return values the framework stores as versioned artifacts
 * (ZenML's `@step`): a local file or folder the step returns is staged there, not kept under a fixed name.
 */
export const ARTIFACT_RETURNING_STEPS: ReadonlySet<string> = new Set(['zenml.step', 'zenml.steps.step']);
