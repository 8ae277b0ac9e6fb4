import { dvcStages, ev, limit, matchesAny, pythonFiles, roleOf, type RuleRead } from './detect';
import type { CheckResult, Evidence } from './types';
import {
  FIT_METHODS,
  HUB_LOADERS,
  isModelLoader,
  LLM_APPLICATION_MODULES,
  LOCAL_LLM_CLASSES,
  RANDOM_CALL_PREFIXES,
  RANDOM_KEYWORDS,
  RANDOM_METHODS,
  TRAINERS,
} from '../knowledge/index';
import { perWorkspace, type Workspace } from './workspace';

/**
 * What kind of project this is, judged once per scan from what the code does: does it train a
 * model, use one it did not train (a loaded artefact, a pretrained checkpoint, a hosted LLM), load
 * data, do anything random? Items use the shape to earn "not applicable": a service around a
 * pretrained model has no training to track, a chat app that calls a hosted model has no model to
 * register. A project with no code earns nothing: its code items fail (see `index.ts`).
 */
export interface ProjectShape {
  /** Python files or notebooks that parsed. */
  hasCode: boolean;
  /** Evidence of training: a training call outside tests, or a pipeline stage that trains. */
  training: Evidence[];
  /** Evidence of a model used but not trained here: a loaded artefact, `from_pretrained`, a Cog/BentoML predictor. */
  modelUse: Evidence[];
  /** Evidence of LLM calls in application code (OpenAI, Anthropic, LangChain, LlamaIndex, LiteLLM, a local generator); notebooks and tests do not count. */
  llm: Evidence[];
  /** Evidence of data loading outside tests. */
  dataLoading: Evidence[];
  /** Evidence of random operations (splits, shuffles, sampling, stochastic estimators, random initialisation). */
  randomness: Evidence[];
}

/** A call that loads a trained model or pretrained weights (engine/knowledge's loaders, Hub downloads, `from_pretrained` of any class). */
function loadsModel(name: string, method: string): boolean {
  return isModelLoader(name) || HUB_LOADERS.has(name) || MODEL_LOAD_METHODS.includes(method);
}
const MODEL_LOAD_METHODS = ['from_pretrained', 'load_model', 'load_state_dict', 'load_from_checkpoint', 'load_checkpoint'];
/** Modules whose import means the project serves a model packaged by a serving framework. */
const PREDICTOR_BASES = ['cog.BasePredictor', 'bentoml.Service', 'kserve.Model', 'mlserver.MLModel', 'ts.torch_handler.base_handler.BaseHandler'];

/** The local LLM classes as a list, for `matchesAny`. */
const LOCAL_LLM_CLASS_LIST = [...LOCAL_LLM_CLASSES];

export const DATA_LOADERS = [
  'pandas.read_',
  'polars.read_',
  'polars.scan_',
  'pyarrow.parquet.read_table',
  'pyarrow.dataset.dataset',
  'datasets.load_dataset',
  'dask.dataframe.read_',
  'duckdb.sql',
  'duckdb.read_',
  'numpy.load',
  'numpy.loadtxt',
  'numpy.genfromtxt',
  'ray.data.read_',
  'ray.data.from_',
  'sklearn.datasets.load_',
  'sklearn.datasets.fetch_',
  'sklearn.datasets.make_',
  'pyspark.sql.SparkSession',
  'tensorflow.data.',
  'torchvision.datasets.',
  'google.cloud.bigquery.Client',
];
// Database connections alone (sqlalchemy.create_engine, psycopg, sqlite3) are an application's storage, not a
// dataset: a pipeline that reads training data from SQL does it with pandas.read_sql/polars.read_database.

/** DVC stages and MLflow Recipes/Pipelines steps that train. */
export function trainingStages(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const stage of dvcStages(ws)) {
    if (/train|fit/i.test(stage.name) || stage.cmd.some((cmd) => /train|fit/i.test(cmd)))
      out.push(ev(stage.path, stage.line, `DVC stage \`${stage.name}\` runs \`${stage.cmd[0] ?? ''}\``));
  }
  for (const rel of ws.findByName(/^(recipe|pipeline)\.ya?ml$/)) {
    const file = ws.yaml(rel);
    const value = file?.docs[0]?.value as { steps?: Record<string, unknown>; template?: unknown; recipe?: unknown } | undefined;
    if (!file || !value?.steps || typeof value.steps !== 'object') continue;
    if ('train' in value.steps && (value.template !== undefined || value.recipe !== undefined))
      out.push(ev(rel, file.line(0, ['steps', 'train']), 'MLflow Recipes/Pipelines train step'));
  }
  return out;
}

/** The first of `items` that `matches`, as the file's one piece of evidence (none when no item matches). */
function firstPerFile<T extends { line: number; cell?: number }>(
  facts: { path: string },
  items: readonly T[],
  matches: (item: T) => unknown,
  note: (item: T) => string,
): Evidence[] {
  // `find`, not `filter`: one file's calls are read until the first match (diffusers: 249,000 calls, eight questions each).
  const item = items.find(matches);
  return item ? [ev(facts.path, item.line, note(item), item.cell)] : [];
}

/** What the project is (trains, uses a model, calls an LLM, loads data), judged once per workspace. */
export const projectShape: (ws: Workspace) => ProjectShape = perWorkspace(judgeShape);

function judgeShape(ws: Workspace): ProjectShape {
  const files = pythonFiles(ws);
  const training: Evidence[] = [...trainingStages(ws)];
  const modelUse: Evidence[] = [];
  const llm: Evidence[] = [];
  const dataLoading: Evidence[] = [];
  const randomness: Evidence[] = [];
  for (const facts of files) {
    const role = roleOf(facts);
    if (role !== 'test') {
      training.push(
        ...firstPerFile(
          facts,
          facts.calls,
          (c) => FIT_METHODS.includes(c.method) || matchesAny(c.name, TRAINERS),
          (c) => `trains with \`${c.name}()\``,
        ),
      );
      modelUse.push(
        ...firstPerFile(
          facts,
          facts.calls,
          (c) => loadsModel(c.name, c.method),
          (c) => `loads a model with \`${c.name}()\``,
        ),
      );
      modelUse.push(
        ...firstPerFile(
          facts,
          facts.classes,
          (cls) => cls.bases.some((base) => PREDICTOR_BASES.includes(base)),
          (cls) => `\`${cls.name}\` is a model predictor (\`${cls.bases.join(', ')}\`)`,
        ),
      );
      dataLoading.push(
        ...firstPerFile(
          facts,
          facts.calls,
          (c) => DATA_LOADERS.some((prefix) => c.name.startsWith(prefix)),
          (c) => `loads data with \`${c.name}()\``,
        ),
      );
    }
    // An LLM application calls models from its code; a notebook that benchmarks an LLM does not make one.
    if (role === 'code') {
      llm.push(
        ...firstPerFile(
          facts,
          facts.imports,
          (imp) => matchesAny(imp.module, LLM_APPLICATION_MODULES),
          (imp) => `calls LLMs through \`${imp.module}\``,
        ),
      );
      llm.push(
        ...firstPerFile(
          facts,
          facts.calls,
          (c) => matchesAny(c.name, LOCAL_LLM_CLASS_LIST),
          (c) => `runs an LLM with \`${c.name}()\``,
        ),
      );
    }
    randomness.push(
      ...firstPerFile(
        facts,
        facts.calls,
        (c) =>
          RANDOM_CALL_PREFIXES.some((prefix) => c.name.startsWith(prefix)) ||
          RANDOM_METHODS.includes(c.method) ||
          c.keywords.some((k) => RANDOM_KEYWORDS.includes(k)),
        (c) => `random behaviour: \`${c.name}()\``,
      ),
    );
    randomness.push(
      ...firstPerFile(
        facts,
        facts.findings,
        (f) => f.rule === ('missing-seed' satisfies RuleRead),
        () => 'a random call without a seed',
      ),
    );
  }
  // The stdlib `random` in a project that neither trains nor loads data (sampling traffic, jitter
  // between retries) is not the randomness that makes results irreproducible.
  const mlRandomness = training.length + dataLoading.length > 0 ? randomness : randomness.filter((item) => !/`random\.\w+\(\)`/.test(item.note));
  return { hasCode: files.length > 0, training, modelUse, llm, dataLoading, randomness: mlRandomness };
}

/** The model is trained elsewhere: the code uses a model (or a hosted LLM) and trains none. */
export function trainedElsewhere(ws: Workspace): boolean {
  const shape = projectShape(ws);
  return shape.hasCode && shape.training.length === 0 && (shape.modelUse.length > 0 || shape.llm.length > 0);
}

/** The project only calls hosted models: no model artefact of its own to version, register or roll back. */
export function hostedModelsOnly(ws: Workspace): boolean {
  const shape = projectShape(ws);
  return shape.hasCode && shape.llm.length > 0 && shape.training.length === 0 && shape.modelUse.length === 0;
}

/** No data of its own: the project neither trains nor loads data, it only applies a model trained elsewhere. */
export function noDataOfItsOwn(ws: Workspace): boolean {
  return trainedElsewhere(ws) && projectShape(ws).dataLoading.length === 0;
}

/** The not-applicable results items share, with the evidence that earned them (undefined when the item applies). */
export function withoutData(ws: Workspace): CheckResult | undefined {
  if (!noDataOfItsOwn(ws)) return undefined;
  const shape = projectShape(ws);
  return {
    status: 'not-applicable',
    summary: 'The project applies a model trained elsewhere and loads no data of its own.',
    evidence: limit([...shape.modelUse, ...shape.llm]),
  };
}

export function withoutTraining(ws: Workspace): CheckResult | undefined {
  if (!trainedElsewhere(ws)) return undefined;
  const shape = projectShape(ws);
  return {
    status: 'not-applicable',
    summary: 'No training code: the project uses a model trained elsewhere.',
    evidence: limit([...shape.modelUse, ...shape.llm]),
  };
}

export function withoutModelArtefact(ws: Workspace): CheckResult | undefined {
  if (!hostedModelsOnly(ws)) return undefined;
  return { status: 'not-applicable', summary: 'The project calls hosted models and has no model artefact of its own.', evidence: limit(projectShape(ws).llm) };
}
