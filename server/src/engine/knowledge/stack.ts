/**
 * The ML stack: the libraries whose import makes a module part of an ML project (data, models,
 * training, tracking, serving, LLM applications). Rules about how such code should behave in
 * production (`print-logging`) apply to these modules, not to every script in a repository: a
 * repository's own tooling (a table-of-contents generator, a notebook validator, a command-line
 * report) is outside mlready's question.
 */
import { DEEP_LEARNING_LIBRARIES } from './pytorch';
import { HUB_MODULES } from './hub';
import { LLM_APPLICATION_MODULES } from './llm';
import { TRACKING_MODULES } from './tracking';
import { DEMO_UI_MODULES, SERVICE_MODULES } from './web';

/** Data handling and classical modelling, beyond the lists the other knowledge modules keep. */
const DATA_AND_MODELLING_MODULES: readonly string[] = [
  'numpy',
  'pandas',
  'polars',
  'pyarrow',
  'scipy',
  'dask',
  'pyspark',
  'sklearn',
  'xgboost',
  'lightgbm',
  'catboost',
  'statsmodels',
  'imblearn',
  'category_encoders',
  'jax',
  'flax',
  'optax',
  'torchvision',
  'torchaudio',
  'torchtext',
  'onnx',
  'onnxruntime',
  'accelerate',
  'deepspeed',
  'ray',
  'evaluate',
  'torchmetrics',
  'prefect',
  'airflow',
  'dagster',
  'kfp',
  'metaflow',
  'zenml',
  'evidently',
  'great_expectations',
  'pandera',
  // Configuration frameworks of training code: a Hydra app's `print` bypasses the logging Hydra sets up.
  'hydra',
  'omegaconf',
];

/** Every module of the ML stack, by name or dotted prefix (`sklearn` covers `sklearn.metrics`). */
export const ML_STACK_MODULES: readonly string[] = [
  ...new Set([
    ...DATA_AND_MODELLING_MODULES,
    ...DEEP_LEARNING_LIBRARIES,
    ...HUB_MODULES,
    ...TRACKING_MODULES,
    ...LLM_APPLICATION_MODULES,
    ...SERVICE_MODULES,
    ...DEMO_UI_MODULES,
    'chainlit',
  ]),
];

/** Logging libraries: a module that imports one has a logger, and its `print` calls bypass it. */
export const LOGGING_MODULES: readonly string[] = ['logging', 'loguru', 'structlog'];

/**
 * Decorators that send the `print` calls of the function they run to a logger when given
 * `log_prints=True` (Prefect's flows and tasks log them at INFO with the run's context).
 */
export const PRINT_LOGGING_DECORATORS: ReadonlySet<string> = new Set(['prefect.flow', 'prefect.task', 'prefect.flows.flow', 'prefect.tasks.task']);

/**
 * Command-line frameworks whose commands are decorated functions (`@click.command()`,
 * `@cli.command()`, typer's `@app.command()`): what such a function prints is the command's output.
 */
export const CLI_FRAMEWORKS: readonly string[] = ['click', 'typer'];
