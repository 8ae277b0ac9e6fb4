import { defineItem, SCAFFOLD, ATTEST_URL } from '../item';
import { dvcStages, ev, findingEvidence, importEvidence, limit, plural, pythonFiles, dedupe } from '../detect';
import { DATA_LOADERS, withoutData } from '../shape';
import type { Evidence } from '../types';
import type { Workspace } from '../workspace';

export const dataVersioned = defineItem({
  id: 'data-versioned',
  category: 'data',
  title: 'Data is versioned',
  why: 'A model is a function of its data. Without a version of the exact data a model was trained on, a result cannot be reproduced, a regression cannot be bisected, and an auditor cannot be told what the model learned from.',
  detection:
    'DVC (`dvc.yaml` stages, `*.dvc` files, `.dvc/config`), lakeFS (`.lakectl.yaml`, the `lakefs` clients) or Delta Lake (`deltalake`, `delta` imports). Git LFS tracking of data files alone is partial; a project that applies a model trained elsewhere and loads no data of its own is not applicable.',
  attestable: 'yes',
  action: {
    title: 'Describe the pipeline in dvc.yaml with the data as a dependency, then `dvc add` the data',
    command: SCAFFOLD.dvc,
    url: 'https://dvc.org/doc/start/data-management/data-versioning',
  },
  check(ws) {
    const na = withoutData(ws);
    if (na) return na;
    const evidence = [
      ...dvcStages(ws).map((stage) =>
        ev(stage.path, stage.line, `DVC stage \`${stage.name}\`${stage.outs.length ? ` (outs: ${stage.outs.slice(0, 3).join(', ')})` : ''}`),
      ),
      ...ws.findByName(/\.dvc$/).map((rel) => ev(rel, 1, 'DVC-tracked data file')),
      ...ws.find(/^(.*\/)?\.dvc\/config$/).map((rel) => ev(rel, 1, 'DVC repository configuration')),
      ...ws.findByName(/^\.lakectl\.ya?ml$/).map((rel) => ev(rel, 1, 'lakeFS configuration')),
      ...importEvidence(ws, ['lakefs', 'lakefs_client', 'lakefs_sdk', 'deltalake', 'delta', 'pachyderm_sdk', 'python_pachyderm', 'dolt', 'doltpy']),
    ];
    if (evidence.length > 0) return { status: 'pass', summary: 'The data is versioned.', evidence: limit(evidence) };
    const lfs = (ws.text('.gitattributes') ?? '')
      .split(/\r?\n/)
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => /filter=lfs/.test(line) && /\.(csv|parquet|tsv|jsonl?|feather|arrow|h5|hdf5|npy|npz|zip|gz)\b/i.test(line));
    if (lfs.length > 0)
      return {
        status: 'partial',
        summary: 'Data files are in Git LFS: stored, but without the lineage of how they were made.',
        evidence: lfs.map(({ line, index }) => ev('.gitattributes', index + 1, `Git LFS: ${line.trim()}`)),
      };
    return { status: 'fail', summary: 'No data versioning found (no DVC, lakeFS or Delta Lake).' };
  },
});

const VALIDATION_LIBS = [
  'pandera',
  'great_expectations',
  'gx',
  'tensorflow_data_validation',
  'pydeequ',
  'deepchecks',
  'pandas_schema',
  'frictionless',
  'cerberus',
  'soda',
];

export const dataSchema = defineItem({
  id: 'data-schema-validated',
  category: 'data',
  title: 'Data is validated against a schema',
  why: 'Upstream data changes silently: a column is renamed, a unit changes, a category appears. A schema check fails loudly at the boundary instead of letting a model train or predict on garbage.',
  detection:
    'pandera, Great Expectations, TFDV, Deequ, Deepchecks or Soda used outside notebooks, pydantic models applied to data rows in pipeline code (a module importing both pydantic and pandas), or checks written by hand: a dataframe module that tests column values (`isin`, `between`, `notna`, `to_numeric`) and raises when they fail. Validation only in notebooks is partial; a project that loads no data of its own is not applicable.',
  attestable: 'yes',
  action: { title: 'Validate the input data with a pandera schema in the pipeline', command: SCAFFOLD.pipeline, url: 'https://pandera.readthedocs.io/' },
  check(ws) {
    const na = withoutData(ws);
    if (na) return na;
    const code = importEvidence(ws, VALIDATION_LIBS, { roles: ['code', 'test'] });
    const pydanticRows = pythonFiles(ws, { roles: ['code'], serving: false })
      .filter(
        (facts) =>
          facts.imports.some((imp) => imp.module.startsWith('pydantic')) && facts.imports.some((imp) => /^(pandas|polars|pyarrow)(\.|$)/.test(imp.module)),
      )
      .map((facts) => ev(facts.path, facts.imports.find((imp) => imp.module.startsWith('pydantic'))!.line, 'pydantic models beside dataframe code'));
    const gxDirs = ws.find(/(^|\/)(great_expectations|gx)\/great_expectations\.yml$/).map((rel) => ev(rel, 1, 'Great Expectations project'));
    const handWritten = handWrittenChecks(ws);
    if (code.length + pydanticRows.length + gxDirs.length + handWritten.length > 0)
      return { status: 'pass', summary: 'Data is checked against a schema in code.', evidence: limit([...code, ...pydanticRows, ...gxDirs, ...handWritten]) };
    const notebooks = importEvidence(ws, VALIDATION_LIBS, { roles: ['notebook'] });
    if (notebooks.length > 0)
      return { status: 'partial', summary: 'Schema checks exist only in notebooks, so they do not run in the pipeline.', evidence: limit(notebooks) };
    return { status: 'fail', summary: 'No schema validation of data found.' };
  },
});

const COLUMN_CHECKS = new Set([
  'isin',
  'between',
  'isna',
  'notna',
  'isnull',
  'notnull',
  'to_numeric',
  'duplicated',
  'is_unique',
  'is_in',
  'is_between',
  'is_null',
  'is_not_null',
]);

/**
 * Validation written by hand, judged by behaviour: a dataframe module (not a notebook or test) that
 * checks column values (`isin`, `between`, `notna`, `to_numeric`, …) and fails the load (`raise`,
 * `sys.exit`) when they do not hold.
 */
function handWrittenChecks(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, { roles: ['code'] })) {
    if (!facts.imports.some((imp) => /^(pandas|polars|pyarrow)(\.|$)/.test(imp.module))) continue;
    const checks = new Set(facts.calls.filter((call) => COLUMN_CHECKS.has(call.method)).map((call) => call.method));
    const fails = facts.checks.find((check) => check.kind === 'if' && check.then.includes('fail'));
    if (checks.size >= 2 && fails)
      out.push(
        ev(
          facts.path,
          fails.line,
          `fails the load when column checks (${[...checks]
            .slice(0, 3)
            .map((m) => `\`${m}\``)
            .join(', ')}) do not hold`,
          fails.cell,
        ),
      );
  }
  return out;
}

function loaderEvidence(ws: Workspace, role: 'code' | 'notebook'): Evidence[] {
  return dedupe(
    pythonFiles(ws, { roles: [role] }).flatMap((facts) =>
      facts.calls
        .filter((call) => DATA_LOADERS.some((prefix) => call.name.startsWith(prefix)))
        .map((call) => ev(facts.path, call.line, `loads data with \`${call.name}()\`${role === 'notebook' ? ' in a notebook' : ''}`, call.cell)),
    ),
  );
}

/** MLflow Recipes/Pipelines ingest/split/transform steps. */
function recipeDataSteps(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const rel of ws.findByName(/^(recipe|pipeline)\.ya?ml$/)) {
    const file = ws.yaml(rel);
    const value = file?.docs[0]?.value as { steps?: Record<string, unknown>; template?: unknown; recipe?: unknown } | undefined;
    if (!file || !value?.steps || typeof value.steps !== 'object' || (value.template === undefined && value.recipe === undefined)) continue;
    for (const step of ['ingest', 'split', 'transform'])
      if (step in value.steps || (step === 'ingest' && 'data' in value))
        out.push(ev(rel, file.line(0, step in value.steps ? ['steps', step] : ['data']), `MLflow Recipes/Pipelines \`${step}\` step`));
  }
  return out;
}

const ORCHESTRATORS = ['airflow', 'prefect', 'dagster', 'kedro', 'luigi', 'zenml', 'metaflow', 'kfp', 'flytekit', 'dvc.api', 'hamilton', 'mage_ai'];

export const dataPipeline = defineItem({
  id: 'data-pipeline-code',
  category: 'data',
  title: 'A data pipeline exists as code outside notebooks',
  why: 'Data preparation done by hand in a notebook cannot be rerun on new data, reviewed in a pull request, or scheduled. The same steps as a script or pipeline stage run identically for training and for the next retrain.',
  detection:
    'DVC stages, an orchestrator (Airflow, Prefect, Dagster, Kedro, Luigi, ZenML, Metaflow, Kubeflow, Flyte), MLflow Recipes steps, or a Python module outside notebooks and tests that loads a dataset (`pandas.read_*`, polars, pyarrow, `datasets.load_dataset`, Ray Data, scikit-learn datasets; a database connection alone is not a dataset). Data loading only in notebooks fails; a project that loads no data of its own is not applicable.',
  attestable: 'yes',
  action: { title: 'Move data loading and preparation out of the notebook into a pipeline script', command: SCAFFOLD.pipeline },
  check(ws) {
    const na = withoutData(ws);
    if (na) return na;
    const stages = dvcStages(ws)
      .filter((stage) => stage.cmd.length > 0)
      .map((stage) => ev(stage.path, stage.line, `DVC stage \`${stage.name}\` runs \`${stage.cmd[0]}\``));
    const orchestrators = importEvidence(ws, ORCHESTRATORS, { roles: ['code'] });
    const scripts = [...loaderEvidence(ws, 'code'), ...recipeDataSteps(ws)];
    if (stages.length + orchestrators.length + scripts.length > 0)
      return {
        status: 'pass',
        summary: 'Data loading and preparation run as code outside notebooks.',
        evidence: limit([...stages, ...orchestrators, ...scripts]),
      };
    const inNotebooks = loaderEvidence(ws, 'notebook');
    if (inNotebooks.length > 0) return { status: 'fail', summary: 'Data is loaded and prepared only in notebooks.', evidence: limit(inNotebooks) };
    return { status: 'fail', summary: 'No data pipeline found.' };
  },
});

export const dataPii = defineItem({
  id: 'data-pii-access',
  category: 'data',
  title: 'PII and data access are handled',
  why: 'Training data often holds personal data, and credentials to reach it. Access should be granted per role and logged, personal fields minimised or pseudonymised, and no secret should sit in code where every clone of the repository carries it.',
  detection:
    'Fails while the `hardcoded-secret` rule finds a secret in code (an attestation cannot override that). Otherwise the absence of secrets is half of it (partial); an attestation that data access and PII were reviewed completes it.',
  attestable: 'yes',
  action: { title: 'Move secrets to the environment or a secret manager, review PII handling, then attest it', rule: 'hardcoded-secret', url: ATTEST_URL },
  check(ws) {
    const secrets = findingEvidence(ws, 'hardcoded-secret');
    if (secrets.length > 0)
      return { status: 'fail', summary: `${plural(secrets.length, 'hard-coded secret')} in code.`, evidence: limit(secrets), blocksAttestation: true };
    const envFiles = ws.findByName(/^\.env(\..*)?$/).filter((rel) => !/\.(example|sample|template)$/.test(rel));
    const analysed = pythonFiles(ws).length;
    if (analysed === 0) return { status: 'fail', summary: 'No Python code to check for secrets, and no attestation of PII handling.' };
    const evidence = dedupe(
      envFiles.map((rel) => ev(rel, 1, 'an environment file in the project: make sure it is git-ignored and holds no production secrets')),
    );
    return {
      status: 'partial',
      summary: `No hard-coded secrets in ${plural(analysed, 'Python file')}; PII handling and access control still need an attestation.`,
      evidence,
    };
  },
});

export const DATA_ITEMS = [dataVersioned, dataSchema, dataPipeline, dataPii];
