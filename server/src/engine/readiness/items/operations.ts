import * as path from 'node:path';
import { defineItem, SCAFFOLD, ATTEST_URL } from '../item';
import {
  callEvidence,
  ciFiles,
  configScalars,
  dedupe,
  dvcStages,
  ev,
  findingEvidence,
  importEvidence,
  limit,
  matchesAny,
  namesEvidence,
  plural,
  pythonFiles,
  roleOf,
  stringEvidence,
  TEST_COMMAND,
} from '../detect';
import { isTestPath, type Workspace } from '../workspace';
import { manifests } from './serving';
import type { Evidence } from '../types';
import { withoutModelArtefact, withoutTraining } from '../shape';
import { automatedCommands, describeCommand, type AutomatedCommand } from '../automation';
import type { PythonFacts } from '../facts';
import { escapeRegExp } from '../../text';

function testFiles(ws: Workspace): string[] {
  return ws.files.filter((rel) => rel.endsWith('.py') && isTestPath(rel) && /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(rel));
}

export const testsInCi = defineItem({
  id: 'ops-tests-in-ci',
  category: 'operations',
  title: 'Tests exist and run in CI',
  why: 'Feature code, preprocessing and the serving contract break quietly when they change. Tests that run on every push catch the break before a model trained on the broken features reaches users; tests nobody runs catch nothing.',
  detection:
    'pytest-style test files (`test_*.py`, `*_test.py`) and a CI definition (GitHub Actions, GitLab CI, Azure Pipelines, CircleCI, Bitbucket, Buildkite, Jenkins) that runs them, directly (`pytest`, `python -m pytest`, `tox`, `nox`, an action configured with pytest) or through what it calls: `make`/`just`/`mise`/`task`/poe/pdm/hatch tasks, `poetry run`/`uv run`, shell scripts, or a job submitted to a platform whose spec runs them. One without the other is partial.',
  attestable: 'yes',
  action: { title: 'Add a CI workflow that runs pytest on every push', command: SCAFFOLD.ci },
  check(ws) {
    const tests = testFiles(ws);
    const runs = automatedCommands(ws).filter((c) => TEST_COMMAND.test(c.command));
    const testEvidence = tests.slice(0, 3).map((rel) => ev(rel, 1, 'test file'));
    if (tests.length > 0 && runs.length > 0)
      return {
        status: 'pass',
        summary: `${plural(tests.length, 'test file')}, run in CI.`,
        evidence: limit([...runs.slice(0, 2).map((c) => ev(c.path, c.line, describeCommand(c))), ...testEvidence]),
      };
    if (tests.length > 0) return { status: 'partial', summary: `${plural(tests.length, 'test file')}, but no CI runs them.`, evidence: testEvidence };
    if (ciFiles(ws).length > 0)
      return {
        status: 'partial',
        summary: 'CI exists, but there are no tests for it to run.',
        evidence: ciFiles(ws).map((rel) => ev(rel, 1, 'CI definition without a test step')),
      };
    return { status: 'fail', summary: 'No tests and no CI.' };
  },
});

/** Metric computations (a gate compares their results). */
const METRIC_CALLS = [
  'sklearn.metrics',
  'torchmetrics',
  'evaluate.load',
  'keras.metrics',
  'tensorflow.keras.metrics',
  'mlflow.evaluate',
  'mlflow.models.evaluate',
  'scipy.stats.pearsonr',
  'scipy.stats.spearmanr',
  'statsmodels.tools.eval_measures',
];
const METRIC_METHODS = ['score', 'evaluate', 'compute', 'roc_auc_score', 'accuracy_score', 'f1_score'];
/** A name that holds a metric value (`auc`, `val_accuracy`, `metrics["f1"]`, `rmse_test`). */
const METRIC_NAME =
  /(^|_)(acc|accuracy|auc|roc_?auc|pr_?auc|f1|f_?beta|precision|recall|rmse|mse|mae|mape|smape|r2|rsquared|loss|metric|metrics|ndcg|mrr|bleu|rouge\w*|wer|cer|iou|dice|log_?loss|brier|kappa|mcc|perplexity)(_|$|\d|@)/i;
/** Threshold validation that raises by itself (mlflow.evaluate with validation thresholds). */
const VALIDATING_CALLS = ['mlflow.validate_evaluation_results', 'mlflow.models.MetricThreshold', 'mlflow.models.validation.MetricThreshold'];

/**
 * Metric gates of a file, judged by behaviour: a comparison that fails the run (`assert`, or an
 * `if` whose body raises or exits) where what is compared is a metric: a metric call in the test, a
 * name assigned from a metric call in the file, or a name that holds a metric. An exit guarded by
 * anything else (`len(sys.argv) != 3`) is not a gate. `mlflow.evaluate(validation_thresholds=…)`
 * and `MetricThreshold` raise on their own.
 */
function metricGates(facts: PythonFacts): { line: number; cell?: number; how: string }[] {
  const isMetricCall = (name: string): boolean =>
    matchesAny(name, METRIC_CALLS) !== undefined || METRIC_METHODS.includes(name.slice(name.lastIndexOf('.') + 1));
  const fromMetric = new Set(facts.names.filter((n) => n.from && isMetricCall(n.from)).map((n) => n.name));
  const out: { line: number; cell?: number; how: string }[] = [];
  const metricOf = (check: PythonFacts['checks'][number]): string | undefined => {
    if (!check.compares || check.names.includes('argv')) return undefined;
    const metric = check.calls.find(isMetricCall) ?? check.names.find((name) => fromMetric.has(name) || METRIC_NAME.test(name));
    // Compared with a threshold: a number, or another quantity (a target, a baseline, the production model's score).
    const threshold = check.number || check.names.some((name) => name !== metric && !/^(self|cls)$/.test(name));
    return metric && threshold ? metric : undefined;
  };
  const comparisons = facts.checks.filter((check) => metricOf(check) !== undefined);
  for (const check of comparisons) {
    if (check.then.includes('fail'))
      out.push({
        line: check.line,
        cell: check.cell,
        how: `${check.kind === 'assert' ? 'asserts' : 'fails the run when'} \`${metricOf(check)}\` misses its threshold`,
      });
  }
  // The collect-then-fail shape: metrics compared with thresholds (collecting the failures), then one
  // exit when any failed (`if failures: sys.exit(1)`). An exit guarded by the command line is not it.
  if (out.length === 0 && comparisons.length > 0) {
    const exit = facts.checks.find(
      (check) => check.kind === 'if' && check.then.includes('fail') && !check.names.some((name) => /^(argv|args|argparse)$/.test(name)),
    );
    if (exit)
      out.push({
        line: exit.line,
        cell: exit.cell,
        how: `fails the run when \`${metricOf(comparisons[0])}\` (compared at line ${comparisons[0].line}) misses its threshold`,
      });
  }
  for (const call of facts.calls) {
    if ((/^mlflow(\.models)?\.evaluate$/.test(call.name) && call.keywords.includes('validation_thresholds')) || VALIDATING_CALLS.includes(call.name))
      out.push({ line: call.line, cell: call.cell, how: `\`${call.name}()\` fails when a metric misses its threshold` });
  }
  return out;
}

export const qualityGate = defineItem({
  id: 'ops-quality-gate',
  category: 'operations',
  title: 'A quality gate checks metrics',
  why: 'A retrained model that is worse than the one in production should never ship. A check that fails the build or the pipeline when a metric drops below its target turns the success metric into an automatic decision.',
  detection:
    'A Python module or test (not a notebook) that compares a metric with a threshold and fails on it (`assert`, an `if` that raises or calls `sys.exit`, `mlflow.evaluate(validation_thresholds=…)`), run by CI (directly or through make, mise, scripts, platform jobs), a DVC stage, or as a test in CI. An exit that no metric decides (wrong arguments) is not a gate. Such a check that nothing runs is partial; a project that trains no model of its own is not applicable.',
  attestable: 'yes',
  action: { title: 'Fail the pipeline when the evaluation metric is below target (an evaluate step in CI)', command: SCAFFOLD.ci },
  check(ws) {
    const gates: { evidence: Evidence; wired: Evidence | undefined }[] = [];
    const commands = automatedCommands(ws);
    const stages = dvcStages(ws);
    const testsRun = commands.find((c) => TEST_COMMAND.test(c.command));
    const runs = (facts: PythonFacts): AutomatedCommand | undefined => {
      const module = facts.path.replace(/\.py$/, '').replace(/\//g, '.');
      const byName = new RegExp(`(^|[\\s/])${escapeRegExp(path.posix.basename(facts.path))}\\b`);
      return commands.find((c) => c.command.includes(facts.path) || c.command.includes(module) || byName.test(c.command));
    };
    for (const facts of pythonFiles(ws, { roles: ['code', 'test'] })) {
      const fileGates = metricGates(facts);
      const byCi = fileGates.length > 0 ? runs(facts) : undefined;
      for (const gate of fileGates) {
        const base = path.posix.basename(facts.path);
        const byStage = stages.find((s) => s.cmd.some((cmd) => cmd.includes(base)));
        const wired = byCi
          ? ev(byCi.path, byCi.line, describeCommand(byCi))
          : byStage
            ? ev(byStage.path, byStage.line, `DVC stage \`${byStage.name}\` runs it`)
            : roleOf(facts) === 'test' && testsRun
              ? ev(testsRun.path, testsRun.line, `runs with the tests: ${describeCommand(testsRun)}`)
              : undefined;
        gates.push({ evidence: ev(facts.path, gate.line, gate.how, gate.cell), wired });
      }
    }
    const wired = gates.filter((g) => g.wired);
    if (wired.length > 0)
      return { status: 'pass', summary: 'Metric thresholds are enforced automatically.', evidence: limit(wired.flatMap((g) => [g.evidence, g.wired!])) };
    if (gates.length > 0)
      return { status: 'partial', summary: 'A metric check exists but neither CI nor the pipeline runs it.', evidence: limit(gates.map((g) => g.evidence)) };
    const na = withoutTraining(ws);
    if (na) return na;
    return { status: 'fail', summary: 'No metric threshold is checked automatically.' };
  },
});

const REGISTRY_CALLS = [
  'mlflow.register_model',
  'mlflow.tracking.MlflowClient',
  'mlflow.MlflowClient',
  'wandb.Artifact',
  'wandb.log_model',
  'wandb.link_model',
  'bentoml.models',
  'huggingface_hub.HfApi.upload_folder',
  'google.cloud.aiplatform.Model.upload',
  'sagemaker.model.ModelPackage',
  'clearml.OutputModel',
  'neptune.init_model_version',
];
const REGISTRY_METHODS = [
  'create_registered_model',
  'create_model_version',
  'transition_model_version_stage',
  'set_registered_model_alias',
  'register_model',
  'link_model',
  'link_artifact',
  'push_to_hub',
  'create_model_package',
];
const MODEL_FILE = /(^|\/)models?(\/|$)|\.(pkl|pickle|joblib|onnx|pt|pth|h5|keras|safetensors|skops|bin|cbm|ubj)$/i;

function registryEvidence(ws: Workspace): Evidence[] {
  return dedupe([
    ...callEvidence(ws, { names: REGISTRY_CALLS, methods: REGISTRY_METHODS }, { roles: ['code', 'notebook'] }, (name) => `registers models: \`${name}()\``),
    ...callEvidence(
      ws,
      { names: ['mlflow'], keyword: 'registered_model_name' },
      { roles: ['code', 'notebook'] },
      (name) => `\`${name}(registered_model_name=…)\` registers the model`,
    ),
    // BentoML's model store versions every saved model under a tag (`bentoml.sklearn.save_model("iris", clf)`).
    ...pythonFiles(ws, { roles: ['code', 'notebook'] }).flatMap((facts) =>
      facts.calls
        .filter((call) => /^bentoml\.\w+\.save(_model)?$/.test(call.name))
        .map((call) => ev(facts.path, call.line, `versions the model in BentoML's model store: \`${call.name}()\``, call.cell)),
    ),
    ...dvcStages(ws).flatMap((stage) =>
      stage.outs.filter((out) => MODEL_FILE.test(out)).map((out) => ev(stage.path, stage.line, `DVC stage \`${stage.name}\` versions the model \`${out}\``)),
    ),
    ...ws.findByName(/^artifacts\.ya?ml$/).map((rel) => ev(rel, 1, 'GTO model registry (artifacts.yaml)')),
    ...dvcModelArtifacts(ws),
    ...recipeRegisterSteps(ws),
  ]);
}

/** `artifacts:` of dvc.yaml with `type: model` (DVC's model registry). */
function dvcModelArtifacts(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const rel of ws.findByName(/^dvc\.ya?ml$/)) {
    const file = ws.yaml(rel);
    const artifacts = (file?.docs[0]?.value as { artifacts?: Record<string, { type?: unknown; path?: unknown }> } | undefined)?.artifacts;
    if (!file || !artifacts || typeof artifacts !== 'object') continue;
    for (const [name, artifact] of Object.entries(artifacts))
      if (artifact?.type === 'model') out.push(ev(rel, file.line(0, ['artifacts', name]), `DVC model artifact \`${name}\` (${String(artifact.path ?? '')})`));
  }
  return out;
}

/** MLflow Recipes/Pipelines `register` step (registers the model when validation passes). */
function recipeRegisterSteps(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const rel of ws.findByName(/^(recipe|pipeline)\.ya?ml$/)) {
    const file = ws.yaml(rel);
    const value = file?.docs[0]?.value as { steps?: Record<string, unknown>; template?: unknown; recipe?: unknown } | undefined;
    if (file && value?.steps && typeof value.steps === 'object' && 'register' in value.steps && (value.template !== undefined || value.recipe !== undefined))
      out.push(ev(rel, file.line(0, ['steps', 'register']), 'MLflow Recipes/Pipelines register step'));
  }
  return out;
}

export const modelRegistry = defineItem({
  id: 'ops-model-registry',
  category: 'operations',
  title: 'Models are kept in a registry',
  why: "A `model_final_v2.pkl` on someone's disk is not a release. A registry (MLflow, W&B, a DVC-versioned store) keeps every model with its version, lineage and metrics, so the served model is known and the previous one can be restored.",
  detection:
    "MLflow registry calls (`register_model`, `log_model(registered_model_name=…)`, `MlflowClient` stage or alias calls), W&B model artifacts, BentoML's model store, Vertex AI, SageMaker or Hugging Face Hub uploads, model files versioned as DVC stage outputs or DVC `artifacts` of type model, an MLflow Recipes register step, or a GTO `artifacts.yaml`. A project that only calls hosted models is not applicable.",
  attestable: 'yes',
  action: {
    title: 'Register each trained model (mlflow.register_model or log_model(registered_model_name=...))',
    command: SCAFFOLD.pipeline,
    url: 'https://mlflow.org/docs/latest/model-registry.html',
  },
  check(ws) {
    const evidence = registryEvidence(ws);
    if (evidence.length > 0) return { status: 'pass', summary: 'Models are registered with versions.', evidence: limit(evidence) };
    const na = withoutModelArtefact(ws);
    if (na) return na;
    const unversioned = findingEvidence(ws, 'unversioned-artifact');
    return { status: 'fail', summary: 'Models are saved as plain files, with no registry or version.', evidence: limit(unversioned) };
  },
});

const SERVICE_MONITORING = [
  'prometheus_client',
  'prometheus_fastapi_instrumentator',
  'starlette_exporter',
  'starlette_prometheus',
  'opentelemetry',
  'statsd',
  'datadog',
  'ddtrace',
  'newrelic',
  'elasticapm',
  'aws_embedded_metrics',
];
const DATA_MONITORING = [
  'evidently',
  'whylogs',
  'nannyml',
  'alibi_detect',
  'deepchecks',
  'arize',
  'fiddler',
  'boxkite',
  'frouros',
  'river.drift',
  'great_expectations',
];

export const monitoring = defineItem({
  id: 'ops-monitoring',
  category: 'operations',
  title: 'Inputs, predictions and latency are monitored',
  why: 'A model does not crash when it goes wrong: it keeps answering, worse. Only metrics on the service (latency, errors) and on the data (input distributions, prediction rates) show that something changed before the business does.',
  detection:
    'Service metrics (Prometheus client, OpenTelemetry, StatsD, Datadog) and data/prediction monitoring (Evidently, whylogs, NannyML, Alibi Detect, Deepchecks, Arize, or statistical drift tests on live inputs) in application code. One of the two, or monitoring only in notebooks, is partial.',
  attestable: 'yes',
  action: { title: 'Export latency and prediction metrics and schedule a data-drift report', command: SCAFFOLD.monitoring },
  check(ws) {
    const service = importEvidence(ws, SERVICE_MONITORING, { roles: ['code'] }, 'service metrics with');
    const data = [
      ...importEvidence(ws, DATA_MONITORING, { roles: ['code'] }, 'data monitoring with'),
      ...callEvidence(ws, { names: DRIFT_CALLS }, { roles: ['code'] }, (name) => `compares live data with the reference: \`${name}()\``),
    ];
    if (service.length > 0 && data.length > 0)
      return { status: 'pass', summary: 'Service and data are both monitored.', evidence: limit([...service, ...data]) };
    if (service.length > 0)
      return { status: 'partial', summary: 'Latency and errors are measured, but not the inputs and predictions.', evidence: limit(service) };
    if (data.length > 0) return { status: 'partial', summary: 'Data is monitored, but not the service (latency, errors).', evidence: limit(data) };
    const notebooks = importEvidence(ws, [...SERVICE_MONITORING, ...DATA_MONITORING], { roles: ['notebook'] });
    if (notebooks.length > 0)
      return { status: 'partial', summary: 'Monitoring is explored in notebooks but does not run in production.', evidence: limit(notebooks) };
    return { status: 'fail', summary: 'Nothing monitors the service or its data.' };
  },
});

const DRIFT_CALLS = [
  'scipy.stats.ks_2samp',
  'scipy.stats.wasserstein_distance',
  'scipy.stats.chi2_contingency',
  'scipy.spatial.distance.jensenshannon',
  'evidently.metric_preset.DataDriftPreset',
  'evidently.presets.DataDriftPreset',
  'evidently.metrics.DataDriftTable',
  'alibi_detect.cd',
  'nannyml',
  'frouros',
  'river.drift',
];

export const driftDetection = defineItem({
  id: 'ops-drift-detection',
  category: 'operations',
  title: 'Drift is detected',
  why: 'The world the model learned from moves: prices change, users change, an upstream system changes a default. Comparing live inputs and predictions with the training reference, on a schedule, is how decay is noticed and retraining triggered.',
  detection:
    'Drift detection in application code: Evidently, Alibi Detect, NannyML, Frouros or River drift detectors, or statistical tests (`ks_2samp`, Wasserstein, Jensen-Shannon, chi-squared) comparing live data with a reference. A function merely named after drift does not count. Drift checks only in notebooks are partial.',
  attestable: 'yes',
  action: { title: 'Compare live inputs with the training reference (an Evidently drift report) on a schedule', command: SCAFFOLD.monitoring },
  check(ws) {
    const code = dedupe([
      ...callEvidence(ws, { names: DRIFT_CALLS }, { roles: ['code'] }, (name) => `drift test \`${name}()\``),
      ...importEvidence(ws, ['alibi_detect', 'nannyml', 'frouros', 'river.drift', 'evidently'], { roles: ['code'] }),
    ]);
    if (code.length > 0) return { status: 'pass', summary: 'Drift is checked in code.', evidence: limit(code) };
    const notebooks = [
      ...callEvidence(ws, { names: DRIFT_CALLS }, { roles: ['notebook'] }),
      ...importEvidence(ws, ['alibi_detect', 'nannyml', 'frouros', 'river.drift', 'evidently'], { roles: ['notebook'] }),
    ];
    if (notebooks.length > 0) return { status: 'partial', summary: 'Drift was analysed in a notebook, not checked continuously.', evidence: limit(notebooks) };
    return { status: 'fail', summary: 'No drift detection found.' };
  },
});

const TRAIN_COMMAND = /\b(dvc\s+(repro|exp\s+run)|train|retrain|fit)\b/i;

export const retraining = defineItem({
  id: 'ops-retraining',
  category: 'operations',
  title: 'Retraining is a pipeline or a schedule',
  why: 'Every model goes stale; the question is whether retraining is one command or a week of archaeology. A pipeline that retrains from scratch, triggered on a schedule or by drift, keeps the model as fresh as its data.',
  detection:
    'A CI workflow (directly or through make, mise, scripts and platform job specs), Kubernetes CronJob or orchestrator schedule that runs training (`dvc repro`, a train script). A reproducible training pipeline (a DVC training stage) that nothing triggers is partial; a project that trains no model of its own is not applicable.',
  attestable: 'yes',
  action: { title: 'Run the training pipeline from a scheduled workflow (cron) or on drift', command: SCAFFOLD.ci },
  check(ws) {
    const evidence: Evidence[] = [];
    const commands = automatedCommands(ws);
    for (const rel of ciFiles(ws).filter((r) => /\.ya?ml$/.test(r))) {
      const scalars = ws.scalars(rel);
      const schedule = scalars.find((s) => s.keys.includes('schedule') || s.keys.includes('cron'));
      const trains = commands.find((c) => c.path === rel && TRAIN_COMMAND.test(c.command) && !TEST_COMMAND.test(c.command));
      if (trains) evidence.push(ev(rel, trains.line, `${schedule ? 'scheduled' : 'CI'} workflow retrains: ${describeCommand(trains)}`));
      if (trains && schedule) evidence.push(ev(rel, schedule.line, `schedule \`${schedule.value}\``));
    }
    for (const m of manifests(ws).filter((m) => m.kind === 'CronJob' && TRAIN_COMMAND.test(JSON.stringify(m.value))))
      evidence.push(ev(m.path, m.line, 'Kubernetes CronJob runs training'));
    evidence.push(
      ...callEvidence(
        ws,
        { names: ['airflow.DAG', 'airflow.models.DAG', 'dagster.ScheduleDefinition', 'dagster.schedule', 'prefect.serve', 'prefect.deployments.Deployment'] },
        { roles: ['code'] },
        (name) => `orchestrated with \`${name}\``,
      ),
    );
    if (evidence.length > 0) return { status: 'pass', summary: 'Retraining runs from a pipeline with a trigger.', evidence: limit(evidence) };
    const stages = dvcStages(ws).filter((stage) => /train|fit/i.test(stage.name) || stage.cmd.some((cmd) => /train|fit/i.test(cmd)));
    if (stages.length > 0)
      return {
        status: 'partial',
        summary: 'Retraining is one command (`dvc repro`), but nothing triggers it.',
        evidence: stages.map((stage) => ev(stage.path, stage.line, `DVC stage \`${stage.name}\``)),
      };
    return withoutTraining(ws) ?? { status: 'fail', summary: 'No retraining pipeline or schedule.' };
  },
});

export const rollback = defineItem({
  id: 'ops-rollback',
  category: 'operations',
  title: 'A rollback path exists',
  why: 'When a new model misbehaves, the fastest fix is the previous model. That takes the previous version still existing, and the serving side pointing at a version (a stage, an alias, a pinned number) that can be switched back without a rebuild.',
  detection:
    'Registry stages or aliases (`transition_model_version_stage`, `set_registered_model_alias`), a pinned model URI (`models:/churn/3`, `models:/churn@champion`), a `MODEL_VERSION`/`model_uri` setting, a service started on a run id, the served model chosen by an environment variable, or an Argo Rollout. A registry without pinned serving is partial; a project that only calls hosted models is not applicable.',
  attestable: 'yes',
  action: { title: 'Serve a pinned model version or alias from the registry, so rolling back is switching the alias', command: SCAFFOLD.api },
  check(ws) {
    const evidence = dedupe([
      ...callEvidence(
        ws,
        { methods: ['transition_model_version_stage', 'set_registered_model_alias', 'delete_registered_model_alias'] },
        { roles: ['code'] },
        (name) => `switches the served version with \`${name}()\``,
      ),
      ...stringEvidence(ws, /^models:\/[\w.-]+(\/\d+|@[\w-]+|\/(Production|Staging))$/, { roles: ['code'] }, (m) => `serves the pinned model \`${m}\``),
      ...namesEvidence(ws, /^(MODEL_VERSION|MODEL_URI|MODEL_ALIAS|model_version|model_uri)$/, { roles: ['code'] }, 'configures'),
      // A service started on a given MLflow run or model version serves that version until switched.
      ...namesEvidence(ws, /^(run_id|RUN_ID|model_run_id|MODEL_RUN_ID)$/, { roles: ['code'], serving: true }, 'serves a pinned run:'),
      // The served model chosen by a setting (an environment variable): pointing it back is the rollback.
      ...pythonFiles(ws, { roles: ['code'], serving: true }).flatMap((facts) =>
        facts.calls
          .filter(
            (call) => /^os\.(environ\.get|getenv)$/.test(call.name) && call.strings.some((s) => /MODEL.*(PATH|VERSION|URI|ALIAS|FILE|NAME)|MODEL$/i.test(s)),
          )
          .map((call) => ev(facts.path, call.line, `the served model is chosen by \`${call.strings.find((s) => /MODEL/i.test(s))}\``, call.cell)),
      ),
      ...configScalars(ws)
        .filter((s) => s.keys.some((k) => typeof k === 'string' && /^(model_version|model_uri|model_alias)$/i.test(k)))
        .map((s) => ev(s.path, s.line, `\`${s.keys.join('.')}\` = ${s.value}`)),
      ...manifests(ws)
        .filter((m) => m.kind === 'Rollout')
        .map((m) => ev(m.path, m.line, 'Argo Rollout (automated rollback)')),
    ]);
    if (evidence.length > 0) return { status: 'pass', summary: 'The served model version can be switched back.', evidence: limit(evidence) };
    const na = withoutModelArtefact(ws);
    if (na) return na;
    const registry = registryEvidence(ws);
    if (registry.length > 0)
      return { status: 'partial', summary: 'Old models are kept, but serving does not pin a version to roll back to.', evidence: limit(registry) };
    return { status: 'fail', summary: 'No way to go back to the previous model.' };
  },
});

const CANARY_KEYS = /^(canary|canaryTrafficPercent|shadow|traffic_?split|trafficSplit|ab_?test|InitialVariantWeight|ProductionVariants|challenger)$/i;

export const canary = defineItem({
  id: 'ops-canary',
  category: 'operations',
  title: 'Canary or A/B releases are possible',
  why: 'Offline metrics do not guarantee online behaviour. Sending a small share of traffic to a new model (canary), or running it in the shadow of the current one, shows real-world effects before everyone is exposed.',
  detection:
    'An Argo Rollout or Kubernetes/KServe/Seldon/Istio configuration with canary weights (`canary`, `canaryTrafficPercent`, `weight`), SageMaker production variants, or canary/shadow/challenger routing in application code. Otherwise attest it (e.g. the platform team provides it).',
  attestable: 'yes',
  action: { title: 'Configure a canary (KServe canaryTrafficPercent, Argo Rollouts) or attest the platform provides it', url: ATTEST_URL },
  check(ws) {
    const evidence = dedupe([
      ...configScalars(ws)
        .filter((s) => s.keys.some((k) => typeof k === 'string' && CANARY_KEYS.test(k)))
        .map((s) => ev(s.path, s.line, `\`${s.keys.filter((k) => typeof k === 'string').join('.')}\` configures a canary`)),
      ...manifests(ws)
        .filter((m) => m.kind === 'VirtualService' && /"weight"/.test(JSON.stringify(m.value)))
        .map((m) => ev(m.path, m.line, 'Istio VirtualService splits traffic by weight')),
      ...namesEvidence(ws, /canary|shadow_?model|challenger|traffic_?split|ab_?test/i, { roles: ['code'] }),
    ]);
    if (evidence.length > 0) return { status: 'pass', summary: 'Traffic can be split between model versions.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'No canary, shadow or A/B configuration found.' };
  },
});

const STRUCTURED_LOGGERS = ['structlog', 'pythonjsonlogger', 'json_log_formatter', 'ecs_logging', 'json_logging', 'google.cloud.logging', 'logfire'];

export const structuredLogging = defineItem({
  id: 'ops-structured-logging',
  category: 'operations',
  title: 'Logging is structured',
  why: '`print` output is lost in production and cannot be searched. Structured logs (JSON records with a request id, model version and timing) can be filtered, aggregated and joined with monitoring when an incident has to be explained.',
  detection:
    'structlog, python-json-logger, loguru with `serialize=True`, ECS or Cloud Logging, or a `logging.Formatter` subclass that writes JSON, in application code. The standard `logging` module without a structured format is partial; `print` only (the `print-logging` rule) fails.',
  attestable: 'yes',
  action: { title: 'Log with the logging module in JSON (structlog or python-json-logger), not print', rule: 'print-logging' },
  check(ws) {
    const structured = [
      ...importEvidence(ws, STRUCTURED_LOGGERS, { roles: ['code'] }, 'structured logs with'),
      ...callEvidence(ws, { names: ['loguru.logger.add'], keyword: 'serialize' }, { roles: ['code'] }, () => 'loguru with serialize=True (JSON)'),
      // A JSON formatter written by hand: a logging.Formatter subclass in a module that serialises with json.
      ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
        facts.calls.some((call) => /^json\.dumps?$/.test(call.name))
          ? facts.classes
              .filter((cls) => cls.bases.some((b) => /^logging\.Formatter$/.test(b)))
              .map((cls) => ev(facts.path, cls.line, `\`${cls.name}\` formats log records as JSON`, cls.cell))
          : [],
      ),
    ];
    const prints = findingEvidence(ws, 'print-logging').filter((item) => !item.path.endsWith('.ipynb') && !isTestPath(item.path));
    if (structured.length > 0 && prints.length === 0)
      return { status: 'pass', summary: 'Application code logs structured records.', evidence: limit(structured) };
    if (structured.length > 0)
      return {
        status: 'partial',
        summary: `Structured logging is set up, but ${plural(prints.length, 'print')} still bypass it.`,
        evidence: limit([...structured, ...prints]),
      };
    const stdlib = callEvidence(
      ws,
      { names: ['logging.getLogger', 'logging.basicConfig', 'loguru.logger'] },
      { roles: ['code'] },
      (name) => `logs with \`${name}\``,
    );
    if (stdlib.length > 0)
      return { status: 'partial', summary: 'The logging module is used, but records are plain text.', evidence: limit([...stdlib, ...prints]) };
    return { status: 'fail', summary: prints.length ? 'Application code reports with print.' : 'Application code does not log.', evidence: limit(prints) };
  },
});

export const OPERATIONS_ITEMS = [testsInCi, qualityGate, modelRegistry, monitoring, driftDetection, retraining, rollback, canary, structuredLogging];
