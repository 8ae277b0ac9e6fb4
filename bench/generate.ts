/**
 * Deterministic generator of realistic ML Python for the benchmark: scripts that load data with
 * pandas, train scikit-learn and PyTorch models, serve them with FastAPI, plus the helpers,
 * classes, comments and docstrings around them. About a third of the blocks carry one of the
 * antipatterns mlready looks for; the rest is clean code, as in a real codebase.
 *
 * Everything comes from one seeded PRNG, so the same seed writes byte-identical files.
 *
 *   node --import tsx bench/generate.ts [--seed N] [--out DIR]
 *
 * writes DIR/single/{1k,10k,50k}.py, DIR/notebook/300-cells.ipynb, DIR/edit/edit-2k.py and
 * DIR/workspace/ (2,000 files: scripts and notebooks in nested project folders).
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20240607;

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

/** sfc32, seeded through splitmix32: small, fast, and good enough for picking code shapes. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.float();
  }

  /** Uniform in [0, 1). */
  float(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.float() * copy.length), 1)[0]);
    return out;
  }

  /** A child generator, so that adding code to one part does not shift every later choice. */
  fork(): Rng {
    return new Rng(Math.floor(this.float() * 4294967296));
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

const NOUNS = [
  'customer',
  'churn',
  'sales',
  'sensor',
  'review',
  'claim',
  'transaction',
  'patient',
  'order',
  'user',
  'session',
  'price',
  'fraud',
  'ticket',
  'loan',
  'invoice',
  'shipment',
  'device',
  'listing',
  'campaign',
  'inventory',
  'energy',
  'weather',
  'traffic',
  'credit',
  'housing',
] as const;
const COLUMNS = [
  'age',
  'income',
  'tenure',
  'balance',
  'num_products',
  'score',
  'amount',
  'duration',
  'visits',
  'clicks',
  'temperature',
  'humidity',
  'region',
  'segment',
  'channel',
  'rating',
  'quantity',
  'discount',
  'latency_ms',
  'days_since_signup',
  'monthly_charges',
  'total_charges',
] as const;
const TARGETS = ['label', 'target', 'churned', 'is_fraud', 'defaulted', 'converted', 'y'] as const;
const USERS = ['alice', 'bob', 'jdoe', 'mchen', 'priya', 'ubuntu', 'dev'] as const;
const SK_MODELS = [
  ['RandomForestClassifier', 'sklearn.ensemble', 'n_estimators=200, max_depth=8'],
  ['GradientBoostingClassifier', 'sklearn.ensemble', 'n_estimators=150, learning_rate=0.05'],
  ['LogisticRegression', 'sklearn.linear_model', 'max_iter=1000, C=0.5'],
  ['ExtraTreesClassifier', 'sklearn.ensemble', 'n_estimators=300'],
  ['DecisionTreeClassifier', 'sklearn.tree', 'max_depth=6'],
] as const;
const SCALERS = ['StandardScaler', 'MinMaxScaler', 'RobustScaler'] as const;
const TOPICS = ['exploration', 'cleaning', 'features', 'baseline', 'tuning', 'evaluation', 'error-analysis', 'report'] as const;

function cap(s: string): string {
  return s
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

// ---------------------------------------------------------------------------------------------
// File context: tracks which imports and module-level names the blocks used
// ---------------------------------------------------------------------------------------------

type ImportKey =
  | 'os'
  | 'sys'
  | 'json'
  | 'time'
  | 'logging'
  | 'argparse'
  | 'pathlib'
  | 'dataclasses'
  | 'typing'
  | 'numpy'
  | 'pandas'
  | 'pickle'
  | 'joblib'
  | 'requests'
  | 'random'
  | 'datetime'
  | 'collections'
  | 'split'
  | 'metrics'
  | 'scaler'
  | 'pipeline'
  | 'sk_model'
  | 'torch'
  | 'nn'
  | 'optim'
  | 'data'
  | 'fastapi'
  | 'pydantic'
  | 'mlflow'
  | 'matplotlib'
  | 'seaborn';

interface Prelude {
  seed: boolean;
  dataDir: boolean;
  logger: boolean;
  app: boolean;
  device: boolean;
  apiKey: boolean;
  features: boolean;
}

class FileContext {
  readonly imports = new Set<ImportKey>();
  readonly names = new Map<string, number>();
  readonly prelude: Prelude = { seed: false, dataDir: false, logger: false, app: false, device: false, apiKey: false, features: false };
  readonly skModels = new Set<string>();
  readonly scalers = new Set<string>();
  readonly metrics = new Set<string>();
  readonly np: string;
  readonly pd: string;
  /** Whether the file logs with print (antipattern in library code) or a logger. */
  readonly usesPrint: boolean;
  /** Whether this file's author tends to write the antipattern rather than the clean form. */
  readonly sloppiness: number;
  readonly seedStyle: 'const' | 'none';

  constructor(
    readonly rng: Rng,
    readonly notebook = false,
  ) {
    this.np = rng.weighted([
      ['np', 12],
      ['numpy', 1],
    ] as const);
    this.pd = rng.weighted([
      ['pd', 12],
      ['pandas', 1],
    ] as const);
    this.usesPrint = notebook || rng.chance(0.45);
    this.sloppiness = notebook ? 0.55 : rng.pick([0.1, 0.25, 0.4, 0.6]);
    this.seedStyle = rng.chance(notebook ? 0.45 : 0.65) ? 'const' : 'none';
  }

  /** True when this occurrence should be the antipattern. */
  sloppy(weight = 1): boolean {
    return this.rng.chance(Math.min(0.95, this.sloppiness * weight));
  }

  unique(base: string): string {
    const n = this.names.get(base) ?? 0;
    this.names.set(base, n + 1);
    return n === 0 ? base : `${base}_${n + 1}`;
  }

  use(...keys: ImportKey[]): void {
    for (const k of keys) this.imports.add(k);
  }

  /** A log call: `message` uses %s/%d placeholders, filled from `args` in order. */
  log(message: string, ...args: string[]): string {
    if (this.usesPrint) {
      let i = 0;
      const text = message.replace(/%[sd]/g, () => `{${args[i++]}}`);
      return args.length ? `print(f"${text}")` : `print("${text}")`;
    }
    this.prelude.logger = true;
    this.use('logging');
    return args.length ? `logger.info("${message}", ${args.join(', ')})` : `logger.info("${message}")`;
  }

  seedArg(): string {
    if (this.seedStyle === 'const') {
      this.prelude.seed = true;
      return 'SEED';
    }
    return String(this.rng.pick([0, 1, 7, 42, 123, 2023]));
  }

  dataPath(noun: string, ext = 'csv'): string {
    const rng = this.rng;
    if (this.sloppy(1.1)) {
      const user = rng.pick(USERS);
      return rng.pick([
        `"/home/${user}/data/${noun}_${rng.int(2019, 2024)}.${ext}"`,
        `"C:\\\\Users\\\\${user}\\\\Downloads\\\\${noun}.${ext}"`,
        `"/mnt/shared/datasets/${noun}/raw.${ext}"`,
        `"/Users/${user}/projects/${noun}/data/train.${ext}"`,
      ]);
    }
    this.prelude.dataDir = true;
    this.use('pathlib');
    return `DATA_DIR / "${noun}.${ext}"`;
  }
}

type Lines = string[];

function indent(lines: Lines, levels = 1): Lines {
  const pad = '    '.repeat(levels);
  return lines.map((l) => (l.length === 0 ? l : pad + l));
}

function docstring(rng: Rng, summary: string, args: string[] = [], returns?: string): Lines {
  if (rng.chance(0.25)) return [];
  if (args.length === 0 || rng.chance(0.5)) return [`"""${summary}"""`];
  const out = [`"""${summary}`, '', 'Args:'];
  for (const a of args) out.push(`    ${a}: ${rng.pick(['input', 'the value to use', 'see module docstring', 'configuration value', 'data to process'])}.`);
  if (returns) out.push('', 'Returns:', `    ${returns}`);
  out.push('"""');
  return out;
}

function comment(rng: Rng): Lines {
  return [
    rng.pick([
      '# TODO: move this into the config file once the schema settles',
      '# NOTE: the upstream export changed its column order in March',
      '# keep in sync with the feature list in the dashboard',
      '# quick hack for the demo, revisit before release',
      '# see the data dictionary on the team wiki for the meaning of these codes',
      '# FIXME: this assumes the frame is sorted by timestamp',
      '# ---------------------------------------------------------------',
      '# this used to be a lambda but pickling failed',
      '# numbers from the last offline evaluation',
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------
// Blocks (each returns module-level lines; functions and classes get unique names)
// ---------------------------------------------------------------------------------------------

type Block = (ctx: FileContext, noun: string) => Lines;

const loadData: Block = (ctx, noun) => {
  const { rng, pd } = ctx;
  ctx.use('pandas');
  const name = ctx.unique(`load_${noun}_data`);
  const cols = rng.sample(COLUMNS, 2);
  const reader = rng.weighted([
    ['read_csv', 6],
    ['read_parquet', 2],
    ['read_json', 1],
  ] as const);
  const ext = reader === 'read_csv' ? 'csv' : reader === 'read_parquet' ? 'parquet' : 'json';
  const body: Lines = [
    ...docstring(rng, `Load the ${noun} dataset and drop incomplete rows.`, ['path'], 'A cleaned DataFrame.'),
    `df = ${pd}.${reader}(path${reader === 'read_csv' && rng.chance(0.3) ? ', sep=";"' : ''}${reader === 'read_json' ? ', lines=True' : ''})`,
    `df = df.dropna(subset=["${cols[0]}", "${cols[1]}"])`,
    `df["${cols[0]}"] = df["${cols[0]}"].astype(float)`,
  ];
  if (rng.chance(0.4)) body.push(`df = df[df["${cols[1]}"] >= 0].reset_index(drop=True)`);
  body.push(ctx.log('loaded %d rows', 'len(df)'), 'return df');
  return [`def ${name}(path=${ctx.dataPath(noun, ext)}):`, ...indent(body), ''];
};

const preprocess: Block = (ctx, noun) => {
  const { rng, np } = ctx;
  ctx.use('pandas', 'numpy');
  const name = ctx.unique(`preprocess_${noun}`);
  const [a, b, c] = rng.sample(COLUMNS, 3);
  const body: Lines = [...docstring(rng, `Clean raw ${noun} records and add derived columns.`, ['df'])];
  body.push('df = df.copy()');
  if (ctx.sloppy()) {
    body.push(`df[df["${a}"] > ${rng.int(10, 90)}]["${b}"] = ${rng.int(0, 5)}`);
  } else {
    body.push(`df.loc[df["${a}"] > ${rng.int(10, 90)}, "${b}"] = ${rng.int(0, 5)}`);
  }
  body.push(`df["${c}_log"] = ${np}.log1p(df["${c}"].clip(lower=0))`);
  if (rng.chance(0.5)) body.push(`df["${a}_bucket"] = ${ctx.pd}.cut(df["${a}"], bins=[0, 18, 35, 50, 65, 120], labels=False)`);
  if (rng.chance(0.4)) {
    body.push(`df["${b}_ratio"] = df["${b}"] / (df["${c}"] + 1e-6)`);
  }
  if (rng.chance(0.3)) {
    body.push(`df["${a}_z"] = df["${a}"].sub(df["${a}"].mean()).div(df["${a}"].std())`);
  }
  if (rng.chance(0.3)) body.push(...comment(rng));
  body.push(`df = df.drop(columns=[col for col in df.columns if col.startswith("unnamed")])`, 'return df');
  return [`def ${name}(df):`, ...indent(body), ''];
};

const featureEngineering: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('pandas');
  const name = ctx.unique(`build_${noun}_features`);
  const [a, b] = rng.sample(COLUMNS, 2);
  const key = rng.pick(['customer_id', 'user_id', 'account_id', 'store_id']);
  const body: Lines = [
    ...docstring(rng, `Aggregate per-${key.replace('_id', '')} statistics and join them back.`, ['df', 'events'], 'The feature frame.'),
    `stats = (`,
    `    events.groupby("${key}")`,
    `    .agg(${a}_mean=("${a}", "mean"), ${a}_max=("${a}", "max"), n_events=("${b}", "count"))`,
    `    .reset_index()`,
    `)`,
    `features = df.merge(stats, on="${key}", how="left")`,
    `features["n_events"] = features["n_events"].fillna(0).astype(int)`,
  ];
  if (rng.chance(0.45)) {
    body.push(`features["${a}_flag"] = features.apply(lambda row: row["${a}_mean"] > row["${a}"], axis=1)`);
  }
  body.push('return features');
  return [`def ${name}(df, events):`, ...indent(body), ''];
};

const sklearnTrain: Block = (ctx, noun) => {
  const { rng } = ctx;
  const [model, , params] = rng.pick(SK_MODELS);
  const scaler = rng.pick(SCALERS);
  const target = rng.pick(TARGETS);
  ctx.use('split', 'sk_model', 'scaler', 'metrics');
  ctx.skModels.add(model);
  ctx.scalers.add(scaler);
  ctx.prelude.features = true;
  const name = ctx.unique(`train_${noun}_model`);
  const leak = ctx.sloppy(0.8);
  const seeded = !ctx.sloppy(0.9);
  const body: Lines = [...docstring(rng, `Fit a ${model} on the ${noun} data and report hold-out metrics.`, ['df'], 'The fitted model.')];
  body.push('X = df[FEATURES]', `y = df["${target}"]`);
  const splitSeed = seeded ? `, random_state=${ctx.seedArg()}` : '';
  const stratify = rng.chance(0.4) ? ', stratify=y' : '';
  if (leak) {
    body.push(`scaler = ${scaler}()`, 'X_scaled = scaler.fit_transform(X)');
    body.push(`X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2${splitSeed}${stratify})`);
  } else {
    body.push(`X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2${splitSeed}${stratify})`);
    body.push(`scaler = ${scaler}()`, 'X_train = scaler.fit_transform(X_train)', 'X_test = scaler.transform(X_test)');
  }
  const modelSeed = model === 'LogisticRegression' || !seeded ? '' : `, random_state=${ctx.seedArg()}`;
  body.push(`model = ${model}(${params}${modelSeed})`, 'model.fit(X_train, y_train)', 'preds = model.predict(X_test)');
  if (ctx.sloppy()) {
    ctx.metrics.add('accuracy_score');
    body.push(ctx.log('accuracy: %s', 'accuracy_score(y_test, preds)'));
  } else {
    ctx.metrics.add('f1_score');
    ctx.metrics.add('classification_report');
    ctx.metrics.add('roc_auc_score');
    body.push(
      'proba = model.predict_proba(X_test)[:, 1]',
      ctx.log('f1=%s', 'f1_score(y_test, preds)'),
      ctx.log('roc_auc=%s', 'roc_auc_score(y_test, proba)'),
      ctx.log('%s', 'classification_report(y_test, preds)'),
    );
  }
  if (ctx.sloppy()) {
    ctx.use('joblib');
    body.push(`joblib.dump(model, "${noun}_model.joblib")`);
  } else if (rng.chance(0.5)) {
    ctx.use('joblib', 'time');
    body.push(`joblib.dump(model, f"models/${noun}_model_{int(time.time())}.joblib")`);
  }
  body.push('return model');
  return [`def ${name}(df):`, ...indent(body), ''];
};

const sklearnPipeline: Block = (ctx, noun) => {
  const { rng } = ctx;
  const [model, , params] = rng.pick(SK_MODELS);
  const scaler = rng.pick(SCALERS);
  ctx.use('split', 'sk_model', 'scaler', 'pipeline', 'metrics');
  ctx.skModels.add(model);
  ctx.scalers.add(scaler);
  ctx.metrics.add('f1_score');
  ctx.prelude.features = true;
  const name = ctx.unique(`make_${noun}_pipeline`);
  const tracked = !ctx.sloppy(0.9);
  const body: Lines = [
    ...docstring(rng, `Build the ${noun} pipeline: scaling and a ${model}.`),
    `return Pipeline([`,
    `    ("scale", ${scaler}()),`,
    `    ("model", ${model}(${params}${model === 'LogisticRegression' ? '' : `, random_state=${ctx.seedArg()}`})),`,
    `])`,
  ];
  const evalName = ctx.unique(`evaluate_${noun}_pipeline`);
  const ev: Lines = [
    ...docstring(rng, 'Cross-validate the pipeline and return the mean F1 score.', ['df', 'target']),
    'X, y = df[FEATURES], df[target]',
    `X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=${ctx.seedArg()})`,
    `pipeline = ${name}()`,
  ];
  if (tracked) {
    ctx.use('mlflow');
    ev.push(
      'with mlflow.start_run():',
      '    pipeline.fit(X_train, y_train)',
      '    score = f1_score(y_test, pipeline.predict(X_test))',
      '    mlflow.log_metric("f1", score)',
      `    mlflow.sklearn.log_model(pipeline, "${noun}-pipeline")`,
    );
  } else {
    ev.push('pipeline.fit(X_train, y_train)', 'score = f1_score(y_test, pipeline.predict(X_test))');
  }
  ev.push('return score');
  return [`def ${name}():`, ...indent(body), '', '', `def ${evalName}(df, target="${rng.pick(TARGETS)}"):`, ...indent(ev), ''];
};

const numpyRandom: Block = (ctx, noun) => {
  const { rng, np } = ctx;
  ctx.use('numpy');
  const name = ctx.unique(`sample_${noun}_batch`);
  const body: Lines = [...docstring(rng, 'Draw a random batch for smoke tests.', ['n'])];
  if (ctx.sloppy()) {
    body.push(`${np}.random.seed(${rng.int(0, 100)})`, `values = ${np}.random.rand(n, ${rng.int(2, 16)})`, `idx = ${np}.random.randint(0, n, size=n // 2)`);
  } else {
    body.push(`rng = ${np}.random.default_rng(${ctx.seedArg()})`, `values = rng.random((n, ${rng.int(2, 16)}))`, 'idx = rng.integers(0, n, size=n // 2)');
  }
  body.push('return values[idx]');
  return [`def ${name}(n=${rng.pick([32, 64, 128, 256])}):`, ...indent(body), ''];
};

const torchModel: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('torch', 'nn');
  const name = ctx.unique(`${cap(noun)}Net`);
  const hidden = rng.pick([64, 128, 256, 512]);
  const inp = rng.int(8, 64);
  return [
    `class ${name}(nn.Module):`,
    ...indent([
      ...docstring(rng, `A small feed-forward network for ${noun} classification.`),
      '',
      `def __init__(self, in_features=${inp}, hidden=${hidden}, n_classes=${rng.int(2, 10)}, dropout=${rng.pick(['0.1', '0.2', '0.3'])}):`,
      '    super().__init__()',
      '    self.layers = nn.Sequential(',
      '        nn.Linear(in_features, hidden),',
      '        nn.ReLU(),',
      '        nn.Dropout(dropout),',
      '        nn.Linear(hidden, hidden // 2),',
      '        nn.ReLU(),',
      '        nn.Linear(hidden // 2, n_classes),',
      '    )',
      '',
      'def forward(self, x):',
      '    return self.layers(x)',
    ]),
    '',
  ];
};

const torchDataset: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('torch', 'data');
  const name = ctx.unique(`${cap(noun)}Dataset`);
  return [
    `class ${name}(Dataset):`,
    ...indent([
      ...docstring(rng, `Wraps a feature matrix and labels for the ${noun} model.`),
      '',
      'def __init__(self, features, labels, transform=None):',
      '    self.features = torch.as_tensor(features, dtype=torch.float32)',
      '    self.labels = torch.as_tensor(labels, dtype=torch.long)',
      '    self.transform = transform',
      '',
      'def __len__(self):',
      '    return len(self.labels)',
      '',
      'def __getitem__(self, index):',
      '    x = self.features[index]',
      '    if self.transform is not None:',
      '        x = self.transform(x)',
      '    return x, self.labels[index]',
    ]),
    '',
  ];
};

const torchTrain: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('torch', 'nn', 'optim');
  const device = ctx.sloppy()
    ? rng.pick(['"cuda"', '"cuda:0"'])
    : (() => {
        ctx.prelude.device = true;
        return 'DEVICE';
      })();
  const trainName = ctx.unique(`train_${noun}_epoch`);
  const zeroGrad = !ctx.sloppy(0.7);
  const train: Lines = [
    ...docstring(rng, 'Run one training epoch and return the mean loss.', ['model', 'loader', 'optimizer', 'loss_fn']),
    'model.train()',
    'total = 0.0',
    'for batch_idx, (inputs, targets) in enumerate(loader):',
    `    inputs, targets = inputs.to(${device}), targets.to(${device})`,
    ...(zeroGrad ? ['    optimizer.zero_grad()'] : []),
    '    outputs = model(inputs)',
    '    loss = loss_fn(outputs, targets)',
    '    loss.backward()',
    ...(rng.chance(0.3) ? ['    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)'] : []),
    '    optimizer.step()',
    '    total += loss.item()',
    `    if batch_idx % ${rng.pick([10, 50, 100])} == 0:`,
    `        ${ctx.log('batch %d loss %s', 'batch_idx', 'loss.item()')}`,
    'return total / max(len(loader), 1)',
  ];
  const evalName = ctx.unique(`evaluate_${noun}`);
  const evalMode = !ctx.sloppy(0.7);
  const ev: Lines = [
    ...docstring(rng, 'Accuracy and mean loss on a validation loader.', ['model', 'loader']),
    ...(evalMode ? ['model.eval()'] : []),
    'correct, seen, loss_sum = 0, 0, 0.0',
    'loss_fn = nn.CrossEntropyLoss()',
    'with torch.no_grad():',
    '    for inputs, targets in loader:',
    `        inputs, targets = inputs.to(${device}), targets.to(${device})`,
    '        logits = model(inputs)',
    '        loss_sum += loss_fn(logits, targets).item() * len(targets)',
    '        correct += (logits.argmax(dim=1) == targets).sum().item()',
    '        seen += len(targets)',
    'return correct / max(seen, 1), loss_sum / max(seen, 1)',
  ];
  const fitName = ctx.unique(`fit_${noun}`);
  const tracked = !ctx.sloppy(0.8);
  const fit: Lines = [
    ...docstring(rng, `Train the ${noun} network with early stopping on validation loss.`),
    `model = model.to(${device})`,
    `optimizer = optim.${rng.pick(['Adam', 'AdamW', 'SGD'])}(model.parameters(), lr=${rng.pick(['1e-3', '3e-4', '0.01'])})`,
    'loss_fn = nn.CrossEntropyLoss()',
    'best_loss = float("inf")',
    'patience_left = patience',
  ];
  if (tracked) {
    ctx.use('mlflow');
    fit.push('mlflow.log_params({"epochs": epochs, "patience": patience})');
  }
  fit.push(
    'for epoch in range(epochs):',
    `    train_loss = ${trainName}(model, train_loader, optimizer, loss_fn)`,
    `    val_acc, val_loss = ${evalName}(model, val_loader)`,
    ...(tracked ? ['    mlflow.log_metrics({"train_loss": train_loss, "val_loss": val_loss, "val_acc": val_acc}, step=epoch)'] : []),
    `    ${ctx.log('epoch %d', 'epoch')}`,
    '    if val_loss < best_loss:',
    '        best_loss = val_loss',
    '        patience_left = patience',
    `        torch.save(model.state_dict(), ${ctx.sloppy() ? `"best_${noun}.pt"` : `f"checkpoints/${noun}_epoch{epoch:03d}.pt"`})`,
    '    else:',
    '        patience_left -= 1',
    '        if patience_left == 0:',
    '            break',
    'return model',
  );
  return [
    `def ${trainName}(model, loader, optimizer, loss_fn):`,
    ...indent(train),
    '',
    '',
    `def ${evalName}(model, loader):`,
    ...indent(ev),
    '',
    '',
    `def ${fitName}(model, train_loader, val_loader, epochs=${rng.pick([5, 10, 20, 50])}, patience=${rng.int(2, 5)}):`,
    ...indent(fit),
    '',
  ];
};

const torchLoad: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('torch');
  const name = ctx.unique(`load_${noun}_checkpoint`);
  const safe = !ctx.sloppy();
  return [
    `def ${name}(model, path="checkpoints/${noun}.pt"):`,
    ...indent([
      ...docstring(rng, 'Restore weights saved by the training script.'),
      `state = torch.load(path, map_location="cpu"${safe ? ', weights_only=True' : ''})`,
      'model.load_state_dict(state)',
      ...(rng.chance(0.6) ? ['model.eval()'] : []),
      'return model',
    ]),
    '',
  ];
};

const apiSchema: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('pydantic');
  const name = ctx.unique(`${cap(noun)}Request`);
  const cols = rng.sample(COLUMNS, rng.int(3, 6));
  const lines: Lines = [`class ${name}(BaseModel):`];
  const fields: Lines = [...docstring(rng, `Payload for one ${noun} prediction.`)];
  for (const c of cols) {
    if (rng.chance(0.5)) fields.push(`${c}: float = Field(..., ge=0, le=${rng.pick([1, 100, 1000, 100000])})`);
    else fields.push(`${c}: ${rng.pick(['float', 'int', 'str', 'Optional[float] = None'])}`);
  }
  ctx.use('typing');
  return [...lines, ...indent(fields), ''];
};

const apiEndpoint: Block = (ctx, noun) => {
  const { rng, pd } = ctx;
  ctx.use('fastapi', 'pandas', 'joblib', 'pydantic', 'typing');
  ctx.prelude.app = true;
  const schema = ctx.unique(`${cap(noun)}Payload`);
  const cols = rng.sample(COLUMNS, 3);
  const out: Lines = [`class ${schema}(BaseModel):`, ...indent(cols.map((c) => `${c}: float`)), '', ''];
  const name = ctx.unique(`predict_${noun}`);
  const perRequest = ctx.sloppy();
  const body: Lines = [...docstring(rng, `Score one ${noun} record.`)];
  let modelRef = 'MODEL';
  if (perRequest) {
    body.push(`model = joblib.load("models/${noun}.joblib")`);
    modelRef = 'model';
  } else {
    const modelConst = ctx.unique(`${noun.toUpperCase()}_MODEL`);
    out.unshift(`${modelConst} = joblib.load(os.environ.get("${noun.toUpperCase()}_MODEL_PATH", "models/${noun}.joblib"))`, '', '');
    ctx.use('os');
    modelRef = modelConst;
  }
  body.push(`frame = ${pd}.DataFrame([payload.dict()])`);
  if (rng.chance(0.4)) {
    body.push('if frame.isnull().any(axis=None):', '    raise HTTPException(status_code=422, detail="missing values")');
  }
  body.push(`prediction = ${modelRef}.predict(frame)[0]`, 'return {"prediction": float(prediction)}');
  out.push(`@app.post("/${noun}/predict")`, `def ${name}(payload: ${schema}):`, ...indent(body), '');
  if (rng.chance(0.5)) {
    const batch = ctx.unique(`predict_${noun}_batch`);
    const rowWise = ctx.sloppy();
    const bb: Lines = [`frame = ${pd}.DataFrame([p.dict() for p in payloads])`];
    if (perRequest) bb.unshift(`model = joblib.load("models/${noun}.joblib")`);
    if (rowWise) {
      bb.push(
        'predictions = []',
        'for _, row in frame.iterrows():',
        `    predictions.append(float(${modelRef}.predict(row.to_frame().T)[0]))`,
        'return {"predictions": predictions}',
      );
    } else {
      bb.push(`return {"predictions": ${modelRef}.predict(frame).astype(float).tolist()}`);
    }
    out.push('', `@app.post("/${noun}/predict-batch")`, `def ${batch}(payloads: List[${schema}]):`, ...indent(bb), '');
  }
  return out;
};

const httpFetch: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('requests');
  const name = ctx.unique(`fetch_${noun}_records`);
  const timeout = ctx.sloppy() ? '' : `, timeout=${rng.pick([5, 10, 30])}`;
  const auth = rng.chance(0.5);
  if (auth) ctx.prelude.apiKey = true;
  const body: Lines = [
    ...docstring(rng, `Download ${noun} records from the internal API.`, ['since']),
    `url = f"https://api.example.com/v1/${noun}s?since={since}"`,
    `response = requests.get(url${auth ? ', headers={"Authorization": f"Bearer {API_KEY}"}' : ''}${timeout})`,
    'response.raise_for_status()',
    'return response.json()["items"]',
  ];
  return [`def ${name}(since):`, ...indent(body), ''];
};

const errorHandling: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('json');
  const name = ctx.unique(`parse_${noun}_payload`);
  const body: Lines = [...docstring(rng, 'Parse a JSON payload, tolerating the legacy format.', ['raw'])];
  if (ctx.sloppy()) {
    body.push(
      'try:',
      '    data = json.loads(raw)',
      rng.chance(0.5) ? 'except:' : 'except Exception:',
      rng.chance(0.6) ? '    pass' : '    data = {}',
      'return data if "data" in locals() else {}',
    );
  } else {
    body.push(
      'try:',
      '    data = json.loads(raw)',
      'except json.JSONDecodeError as exc:',
      `    raise ValueError(f"invalid ${noun} payload: {exc}") from exc`,
      'if isinstance(data, list):',
      '    data = {"items": data}',
      'return data',
    );
  }
  return [`def ${name}(raw):`, ...indent(body), ''];
};

const pickleIo: Block = (ctx, noun) => {
  const { rng } = ctx;
  const name = ctx.unique(`load_${noun}_artifacts`);
  if (ctx.sloppy()) {
    ctx.use('pickle');
    return [
      `def ${name}(path="artifacts/${noun}.pkl"):`,
      ...indent([...docstring(rng, 'Load the encoder and model saved by the notebook.'), 'with open(path, "rb") as fh:', '    return pickle.load(fh)']),
      '',
    ];
  }
  ctx.use('json');
  return [
    `def ${name}(path="artifacts/${noun}.json"):`,
    ...indent([...docstring(rng, 'Load the exported encoder vocabulary.'), 'with open(path, encoding="utf-8") as fh:', '    return json.load(fh)']),
    '',
  ];
};

const helperUtils: Block = (ctx, noun) => {
  const { rng } = ctx;
  const kind = rng.int(0, 6);
  switch (kind) {
    case 0: {
      const name = ctx.unique('chunked');
      return [
        `def ${name}(items, size):`,
        ...indent([
          ...docstring(rng, 'Yield successive chunks of `size` items.', ['items', 'size']),
          'for start in range(0, len(items), size):',
          '    yield items[start:start + size]',
        ]),
        '',
      ];
    }
    case 1: {
      const name = ctx.unique(`normalize_${noun}_name`);
      return [
        `def ${name}(value):`,
        ...indent([
          ...docstring(rng, 'Lower-case, strip and collapse whitespace.'),
          'if value is None:',
          '    return ""',
          'value = str(value).strip().lower()',
          'return " ".join(value.split())',
        ]),
        '',
      ];
    }
    case 2: {
      ctx.use('datetime');
      const name = ctx.unique('parse_timestamp');
      return [
        `def ${name}(text, fmt="%Y-%m-%d %H:%M:%S"):`,
        ...indent([
          ...docstring(rng, 'Parse a timestamp, accepting ISO dates as a fallback.', ['text', 'fmt'], 'A datetime.'),
          'try:',
          '    return datetime.strptime(text, fmt)',
          'except ValueError:',
          '    return datetime.fromisoformat(text)',
        ]),
        '',
      ];
    }
    case 3: {
      ctx.use('collections');
      const name = ctx.unique(`count_${noun}_labels`);
      return [
        `def ${name}(labels):`,
        ...indent([
          ...docstring(rng, 'Class counts, most common first.'),
          'counts = Counter(labels)',
          'total = sum(counts.values()) or 1',
          'return [(label, n, n / total) for label, n in counts.most_common()]',
        ]),
        '',
      ];
    }
    case 4: {
      ctx.use('pathlib');
      const name = ctx.unique('ensure_dir');
      return [
        `def ${name}(path):`,
        ...indent([
          ...docstring(rng, 'Create a directory (and parents) if needed; return it as a Path.'),
          'path = Path(path)',
          'path.mkdir(parents=True, exist_ok=True)',
          'return path',
        ]),
        '',
      ];
    }
    case 5: {
      ctx.use('time');
      const name = ctx.unique('timed');
      return [
        `def ${name}(fn):`,
        ...indent([
          ...docstring(rng, 'Decorator that logs how long a call took.'),
          'def wrapper(*args, **kwargs):',
          '    start = time.perf_counter()',
          '    result = fn(*args, **kwargs)',
          `    ${ctx.log('%s took %s s', 'fn.__name__', 'time.perf_counter() - start')}`,
          '    return result',
          'return wrapper',
        ]),
        '',
      ];
    }
    default: {
      const name = ctx.unique(`merge_${noun}_configs`);
      return [
        `def ${name}(base, override):`,
        ...indent([
          ...docstring(rng, 'Recursively merge two configuration dictionaries.', ['base', 'override'], 'A new dictionary.'),
          'merged = dict(base)',
          'for key, value in override.items():',
          '    if isinstance(value, dict) and isinstance(merged.get(key), dict):',
          `        merged[key] = ${name}(merged[key], value)`,
          '    else:',
          '        merged[key] = value',
          'return merged',
        ]),
        '',
      ];
    }
  }
};

const configClass: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('dataclasses', 'typing');
  const name = ctx.unique(`${cap(noun)}Config`);
  const fields = [
    `batch_size: int = ${rng.pick([16, 32, 64, 128])}`,
    `learning_rate: float = ${rng.pick(['1e-3', '3e-4', '0.01'])}`,
    `epochs: int = ${rng.pick([5, 10, 20])}`,
    `features: List[str] = field(default_factory=lambda: [${rng
      .sample(COLUMNS, 3)
      .map((c) => `"${c}"`)
      .join(', ')}])`,
    `output_dir: str = "outputs/${noun}"`,
  ];
  const lines: Lines = [
    '@dataclass',
    `class ${name}:`,
    ...indent([...docstring(rng, `Settings for the ${noun} experiment.`), ...rng.sample(fields, rng.int(3, 5))]),
  ];
  if (rng.chance(0.5)) {
    lines.push(
      '',
      ...indent([
        '@classmethod',
        'def from_dict(cls, values):',
        '    known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}',
        '    return cls(**known)',
      ]),
    );
  }
  return [...lines, ''];
};

const trainerClass: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('pathlib', 'json');
  const name = ctx.unique(`${cap(noun)}Experiment`);
  return [
    `class ${name}:`,
    ...indent([
      ...docstring(rng, `Keeps the state of one ${noun} experiment: parameters, metrics and artifacts.`),
      '',
      'def __init__(self, name, params=None, root="runs"):',
      '    self.name = name',
      '    self.params = dict(params or {})',
      '    self.metrics = {}',
      '    self.root = Path(root) / name',
      '',
      'def log_metric(self, key, value):',
      '    self.metrics.setdefault(key, []).append(float(value))',
      '',
      'def best(self, key, mode="max"):',
      '    values = self.metrics.get(key, [])',
      '    if not values:',
      '        return None',
      '    return max(values) if mode == "max" else min(values)',
      '',
      'def save(self):',
      '    self.root.mkdir(parents=True, exist_ok=True)',
      '    with open(self.root / "summary.json", "w", encoding="utf-8") as fh:',
      '        json.dump({"params": self.params, "metrics": self.metrics}, fh, indent=2)',
      '    return self.root',
    ]),
    '',
  ];
};

const plotting: Block = (ctx, noun) => {
  const { rng } = ctx;
  ctx.use('matplotlib');
  const name = ctx.unique(`plot_${noun}_history`);
  const col = rng.pick(COLUMNS);
  return [
    `def ${name}(history, path=None):`,
    ...indent([
      ...docstring(rng, 'Plot training curves; save them when a path is given.'),
      'fig, ax = plt.subplots(figsize=(8, 4))',
      'ax.plot(history["train_loss"], label="train")',
      'ax.plot(history["val_loss"], label="validation")',
      `ax.set_title("${noun} ${col}")`,
      'ax.set_xlabel("epoch")',
      'ax.legend()',
      'if path:',
      '    fig.savefig(path, dpi=150, bbox_inches="tight")',
      'return fig',
    ]),
    '',
  ];
};

const SCRIPT_BLOCKS: Record<string, readonly (readonly [Block, number])[]> = {
  sklearn: [
    [loadData, 3],
    [preprocess, 3],
    [featureEngineering, 2],
    [sklearnTrain, 3],
    [sklearnPipeline, 2],
    [numpyRandom, 1],
    [errorHandling, 1],
    [pickleIo, 1],
    [helperUtils, 4],
    [configClass, 1],
    [trainerClass, 1],
    [plotting, 1],
    [httpFetch, 1],
  ],
  torch: [
    [torchModel, 2],
    [torchDataset, 2],
    [torchTrain, 3],
    [torchLoad, 1],
    [numpyRandom, 1],
    [helperUtils, 4],
    [configClass, 2],
    [trainerClass, 1],
    [plotting, 1],
    [errorHandling, 1],
    [loadData, 1],
  ],
  api: [
    [apiSchema, 2],
    [apiEndpoint, 4],
    [httpFetch, 2],
    [errorHandling, 2],
    [pickleIo, 1],
    [helperUtils, 4],
    [configClass, 1],
  ],
  etl: [
    [loadData, 3],
    [preprocess, 3],
    [featureEngineering, 3],
    [httpFetch, 2],
    [errorHandling, 2],
    [helperUtils, 5],
    [pickleIo, 1],
    [trainerClass, 1],
  ],
  utils: [
    [helperUtils, 8],
    [configClass, 2],
    [trainerClass, 2],
    [errorHandling, 1],
  ],
  mixed: [
    [loadData, 2],
    [preprocess, 2],
    [featureEngineering, 2],
    [sklearnTrain, 2],
    [sklearnPipeline, 1],
    [numpyRandom, 1],
    [torchModel, 1],
    [torchDataset, 1],
    [torchTrain, 2],
    [torchLoad, 1],
    [apiSchema, 1],
    [apiEndpoint, 2],
    [httpFetch, 1],
    [errorHandling, 2],
    [pickleIo, 1],
    [helperUtils, 5],
    [configClass, 1],
    [trainerClass, 1],
    [plotting, 1],
  ],
};

export type Profile = keyof typeof SCRIPT_BLOCKS;

// ---------------------------------------------------------------------------------------------
// Module header: imports and constants from what the blocks used
// ---------------------------------------------------------------------------------------------

function header(ctx: FileContext, noun: string, profile: string, forNotebook = false): Lines {
  const { rng } = ctx;
  const out: Lines = [];
  const used = ctx.imports;
  // A few imports that the code never uses, as real files have.
  if (rng.chance(0.3)) used.add(rng.pick(['os', 'sys', 'json', 'random', 'collections'] as const));
  if (ctx.prelude.dataDir || ctx.prelude.apiKey) used.add('os');
  if (ctx.prelude.logger) used.add('logging');
  if (ctx.prelude.device) used.add('torch');
  if (ctx.prelude.features && !used.has('pandas')) used.add('pandas');

  const std: Lines = [];
  if (used.has('argparse')) std.push('import argparse');
  if (used.has('collections')) std.push('from collections import Counter');
  if (used.has('dataclasses')) std.push('from dataclasses import dataclass, field');
  if (used.has('datetime')) std.push('from datetime import datetime');
  if (used.has('json')) std.push('import json');
  if (used.has('logging')) std.push('import logging');
  if (used.has('os')) std.push('import os');
  if (used.has('pickle')) std.push('import pickle');
  if (used.has('random')) std.push('import random');
  if (used.has('sys')) std.push('import sys');
  if (used.has('time')) std.push('import time');
  if (used.has('pathlib')) std.push('from pathlib import Path');
  if (used.has('typing')) std.push('from typing import Dict, List, Optional');

  const third: Lines = [];
  if (used.has('joblib')) third.push('import joblib');
  if (used.has('matplotlib')) third.push('import matplotlib.pyplot as plt');
  if (used.has('mlflow')) third.push('import mlflow', 'import mlflow.sklearn');
  if (used.has('numpy') || ctx.prelude.features) third.push(ctx.np === 'np' ? 'import numpy as np' : 'import numpy');
  if (used.has('pandas')) third.push(ctx.pd === 'pd' ? 'import pandas as pd' : 'import pandas');
  if (used.has('requests')) third.push('import requests');
  if (used.has('seaborn')) third.push('import seaborn as sns');
  if (used.has('torch')) third.push('import torch');
  if (used.has('nn')) third.push('import torch.nn as nn');
  if (used.has('optim')) third.push(rng.chance(0.5) ? 'import torch.optim as optim' : 'from torch import optim');
  if (used.has('data')) third.push('from torch.utils.data import DataLoader, Dataset');
  if (used.has('fastapi')) third.push('from fastapi import FastAPI, HTTPException');
  if (used.has('pydantic')) third.push('from pydantic import BaseModel, Field');
  if (used.has('split')) third.push('from sklearn.model_selection import train_test_split');
  if (used.has('pipeline')) third.push('from sklearn.pipeline import Pipeline');
  if (used.has('scaler') && ctx.scalers.size > 0) third.push(`from sklearn.preprocessing import ${[...ctx.scalers].sort().join(', ')}`);
  if (used.has('metrics') && ctx.metrics.size > 0) third.push(`from sklearn.metrics import ${[...ctx.metrics].sort().join(', ')}`);
  if (used.has('sk_model')) {
    const byModule = new Map<string, string[]>();
    for (const [model, module] of SK_MODELS) {
      if (!ctx.skModels.has(model)) continue;
      byModule.set(module, [...(byModule.get(module) ?? []), model]);
    }
    for (const [module, models] of [...byModule].sort()) third.push(`from ${module} import ${models.sort().join(', ')}`);
  }

  if (!forNotebook) {
    if (rng.chance(0.2)) out.push('#!/usr/bin/env python3');
    if (rng.chance(0.75)) {
      out.push(
        `"""${rng.pick(['Training', 'Utilities', 'Serving', 'Data preparation', 'Experiments'])} for the ${noun} ${profile === 'api' ? 'service' : 'project'}.`,
      );
      if (rng.chance(0.5))
        out.push(
          '',
          rng.pick([
            'Run with `python -m` from the repository root.',
            'Owned by the data science team; see the README for the data contract.',
            'This module started life as a notebook export.',
          ]),
        );
      out.push('"""');
    }
    if (rng.chance(0.1)) out.push('from __future__ import annotations', '');
  }
  out.push(...std);
  if (std.length && third.length) out.push('');
  out.push(...third);
  out.push('');

  const consts: Lines = [];
  if (ctx.prelude.logger) consts.push('logger = logging.getLogger(__name__)');
  if (ctx.prelude.seed) consts.push(`SEED = ${rng.pick([0, 7, 42, 1234, 2024])}`);
  if (ctx.prelude.dataDir) consts.push(`DATA_DIR = Path(os.environ.get("${noun.toUpperCase()}_DATA_DIR", "data"))`);
  if (ctx.prelude.apiKey) {
    if (ctx.sloppy()) {
      const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      let key = '';
      for (let i = 0; i < 40; i++) key += chars[rng.int(0, chars.length - 1)];
      consts.push(`API_KEY = "${rng.pick(['sk-', 'key-', 'tok_'])}${key}"`);
    } else {
      consts.push(`API_KEY = os.environ["${noun.toUpperCase()}_API_KEY"]`);
    }
  }
  if (ctx.prelude.device) consts.push('DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")');
  if (ctx.prelude.features)
    consts.push(
      `FEATURES = [${rng
        .sample(COLUMNS, rng.int(3, 7))
        .map((c) => `"${c}"`)
        .join(', ')}]`,
    );
  if (ctx.prelude.app) consts.push(`app = FastAPI(title="${noun} service")`);
  if (consts.length) out.push(...consts, '');
  if (ctx.prelude.seed && ctx.sloppiness < 0.5 && used.has('numpy')) {
    out.push(`${ctx.np}.random.seed(SEED)`);
    if (used.has('torch')) out.push('torch.manual_seed(SEED)');
    out.push('');
  }
  return out;
}

function mainGuard(ctx: FileContext, noun: string): Lines {
  const { rng } = ctx;
  ctx.use('argparse');
  const body: Lines = [
    `parser = argparse.ArgumentParser(description="${noun} job")`,
    `parser.add_argument("--input", default="data/${noun}.csv")`,
    `parser.add_argument("--dry-run", action="store_true")`,
    'args = parser.parse_args()',
  ];
  if (ctx.names.has(`load_${noun}_data`)) body.push(`frame = load_${noun}_data(args.input)`, ctx.log('rows: %d', 'len(frame)'));
  else body.push(ctx.log('input: %s', 'args.input'));
  if (rng.chance(0.5)) body.push('if args.dry_run:', '    sys.exit(0)');
  if (body.some((l) => l.includes('sys.exit'))) ctx.use('sys');
  return ['if __name__ == "__main__":', ...indent(body)];
}

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

export interface GeneratedScript {
  text: string;
  lines: number;
}

/** A Python module of roughly `targetLines` lines (never fewer than the first block). */
export function generateScript(rng: Rng, targetLines: number, profile: Profile = 'mixed'): string {
  const ctx = new FileContext(rng);
  const nouns = rng.sample(NOUNS, 4);
  const blocks = SCRIPT_BLOCKS[profile];
  const body: Lines = [];
  // Header size is unknown until the end; it is rarely more than 40 lines.
  const budget = Math.max(1, targetLines - 30);
  while (body.length < budget) {
    const block = rng.weighted(blocks);
    const noun = rng.chance(0.7) ? nouns[0] : rng.pick(nouns);
    if (rng.chance(0.15)) body.push(...comment(rng));
    body.push(...block(ctx, noun), '');
  }
  const tail = rng.chance(0.4) && profile !== 'api' && profile !== 'utils' ? mainGuard(ctx, nouns[0]) : [];
  const head = header(ctx, nouns[0], profile);
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  const all = [...head, '', ...body];
  if (tail.length) all.push('', '', ...tail);
  return all.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Notebooks
// ---------------------------------------------------------------------------------------------

export interface NotebookCell {
  cell_type: 'code' | 'markdown';
  source: string;
  execution_count: number | null;
}

function notebookCodeCell(ctx: FileContext, noun: string, step: number): Lines {
  const { rng, pd, np } = ctx;
  const [a, b, c] = rng.sample(COLUMNS, 3);
  const target = rng.pick(TARGETS);
  const kind = rng.weighted([
    ['head', 4],
    ['describe', 2],
    ['clean', 3],
    ['plot', 3],
    ['split', 2],
    ['fit', 2],
    ['metrics', 2],
    ['groupby', 3],
    ['function', 3],
    ['pip', 1],
    ['magic', 1],
    ['random', 1],
    ['request', 1],
    ['pickle', 1],
    ['torch', 1],
  ] as const);
  switch (kind) {
    case 'head':
      ctx.use('pandas');
      return rng.chance(0.5) ? ['df.head()'] : [`df[["${a}", "${b}", "${c}"]].sample(${rng.int(5, 20)})`];
    case 'describe':
      return [`df.describe(include="all").T`];
    case 'clean':
      if (ctx.sloppy()) return [`df[df["${a}"].isna()]["${b}"] = 0`, `df["${c}"] = df["${c}"].fillna(df["${c}"].median())`];
      return [`df.loc[df["${a}"].isna(), "${b}"] = 0`, `df["${c}"] = df["${c}"].fillna(df["${c}"].median())`, `df = df.drop_duplicates()`];
    case 'plot':
      ctx.use('matplotlib', 'seaborn');
      return [
        'fig, axes = plt.subplots(1, 2, figsize=(12, 4))',
        `sns.histplot(df["${a}"], bins=${rng.pick([20, 30, 50])}, ax=axes[0])`,
        `sns.boxplot(x="${target}", y="${b}", data=df, ax=axes[1])`,
        'plt.tight_layout()',
        'plt.show()',
      ];
    case 'split': {
      ctx.use('split');
      ctx.prelude.features = true;
      const seed = ctx.sloppy() ? '' : `, random_state=${ctx.seedArg()}`;
      return [
        `X = df[FEATURES]`,
        `y = df["${target}"]`,
        `X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2${seed})`,
        'X_train.shape, X_test.shape',
      ];
    }
    case 'fit': {
      const [model, , params] = rng.pick(SK_MODELS);
      ctx.use('sk_model');
      ctx.skModels.add(model);
      return [`clf_${step} = ${model}(${params})`, `clf_${step}.fit(X_train, y_train)`, `preds_${step} = clf_${step}.predict(X_test)`];
    }
    case 'metrics':
      ctx.use('metrics');
      if (ctx.sloppy()) {
        ctx.metrics.add('accuracy_score');
        return [`print("accuracy", accuracy_score(y_test, clf_${Math.max(step - 1, 0)}.predict(X_test)))`];
      }
      ctx.metrics.add('classification_report');
      ctx.metrics.add('confusion_matrix');
      return [`pred = clf_${Math.max(step - 1, 0)}.predict(X_test)`, 'print(classification_report(y_test, pred))', 'confusion_matrix(y_test, pred)'];
    case 'groupby':
      return [
        `summary = df.groupby("${rng.pick(['region', 'segment', 'channel'])}").agg(`,
        `    mean_${a}=("${a}", "mean"),`,
        `    n=("${b}", "size"),`,
        ')',
        `summary.sort_values("mean_${a}", ascending=False).head(${rng.int(5, 15)})`,
      ];
    case 'function':
      return rng
        .pick([helperUtils, preprocess, errorHandling, featureEngineering] as const)(ctx, noun)
        .filter((_, i, arr) => !(i === arr.length - 1 && arr[i] === ''));
    case 'pip':
      return [rng.pick(['!pip install xgboost lightgbm', '!pip install -q shap', '%pip install optuna==3.4.0', '!pip install --upgrade scikit-learn'])];
    case 'magic':
      return [rng.pick(['%matplotlib inline', '%load_ext autoreload\n%autoreload 2', '%%time\n_ = df.apply(lambda r: r.sum(), axis=1)', '%timeit df.sum()'])];
    case 'random':
      ctx.use('numpy');
      if (ctx.sloppy())
        return [`${np}.random.seed(${rng.int(0, 99)})`, `noise = ${np}.random.normal(0, 1, size=len(df))`, `df["${a}_noisy"] = df["${a}"] + noise`];
      return [`rng = ${np}.random.default_rng(${ctx.seedArg()})`, `df["${a}_noisy"] = df["${a}"] + rng.normal(0, 1, size=len(df))`];
    case 'request':
      ctx.use('requests');
      return [
        `resp = requests.get("https://api.example.com/${noun}/latest"${ctx.sloppy() ? '' : ', timeout=10'})`,
        `extra = ${pd}.DataFrame(resp.json()["items"])`,
        'extra.shape',
      ];
    case 'pickle':
      if (ctx.sloppy()) {
        ctx.use('pickle');
        return [`with open("${noun}_model.pkl", "wb") as f:`, `    pickle.dump(clf_${Math.max(step - 1, 0)}, f)`];
      }
      ctx.use('joblib');
      return [`joblib.dump(clf_${Math.max(step - 1, 0)}, "models/${noun}-v${rng.int(1, 9)}.joblib")`];
    case 'torch':
      ctx.use('torch');
      return [
        `device = ${ctx.sloppy() ? '"cuda"' : 'torch.device("cuda" if torch.cuda.is_available() else "cpu")'}`,
        `tensor_x = torch.tensor(X_train.values, dtype=torch.float32).to(device)`,
        'tensor_x.shape',
      ];
  }
}

/** A notebook of `nCells` cells (about one in four markdown), as nbformat 4 JSON. */
export function generateNotebook(rng: Rng, nCells: number): { json: string; cells: NotebookCell[] } {
  const ctx = new FileContext(rng, true);
  const noun = rng.pick(NOUNS);
  const cells: NotebookCell[] = [];
  const codeBodies: Lines[] = [];
  // The first code cell holds the imports; it is filled in once the rest of the notebook is known.
  cells.push({
    cell_type: 'markdown',
    source: `# ${cap(noun)} ${rng.pick(TOPICS)}\n\nExploration of the ${noun} data and a first model.`,
    execution_count: null,
  });
  const importCell: NotebookCell = { cell_type: 'code', source: '', execution_count: 1 };
  cells.push(importCell);
  const loadCell: NotebookCell = { cell_type: 'code', source: '', execution_count: 2 };
  ctx.use('pandas');
  loadCell.source = `df = ${ctx.pd}.read_csv(${ctx.dataPath(noun)})\ndf.shape`;
  cells.push(loadCell);
  let counter = 3;
  let step = 0;
  while (cells.length < nCells) {
    if (rng.chance(0.25)) {
      cells.push({
        cell_type: 'markdown',
        source: rng.pick([
          `## ${cap(rng.pick(TOPICS))}`,
          `Looking at \`${rng.pick(COLUMNS)}\` by ${rng.pick(['region', 'segment', 'month'])}.`,
          '### Notes\n\n- the export has duplicates\n- some ids are missing',
          'The baseline is weak; try gradient boosting next.',
        ]),
        execution_count: null,
      });
      continue;
    }
    const body = notebookCodeCell(ctx, noun, step++);
    codeBodies.push(body);
    // Mostly run top to bottom; sometimes re-run out of order or never run.
    let count: number | null = counter++;
    if (rng.chance(0.06)) count = counter + rng.int(5, 40);
    else if (rng.chance(0.04)) count = null;
    cells.push({ cell_type: 'code', source: body.join('\n'), execution_count: count });
  }
  importCell.source = header(ctx, noun, 'notebook', true)
    .filter((l, i, arr) => !(l === '' && (i === arr.length - 1 || arr[i + 1] === '')))
    .join('\n')
    .trimEnd();
  const nb = {
    cells: cells.map((c) =>
      c.cell_type === 'markdown'
        ? { cell_type: 'markdown', metadata: {}, source: splitSource(c.source) }
        : { cell_type: 'code', execution_count: c.execution_count, metadata: {}, outputs: [], source: splitSource(c.source) },
    ),
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python', version: '3.11.2' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return { json: JSON.stringify(nb, null, 1) + '\n', cells };
}

function splitSource(source: string): string[] {
  const parts = source.split('\n');
  return parts.map((p, i) => (i < parts.length - 1 ? p + '\n' : p)).filter((p) => p.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Workspace
// ---------------------------------------------------------------------------------------------

export interface WorkspaceStats {
  files: number;
  scripts: number;
  notebooks: number;
  /** Lines of the .py files. */
  scriptLines: number;
  /** Lines of the notebooks' code cells (what a linter analyses). */
  notebookLines: number;
}

function fileSize(rng: Rng): number {
  return rng.weighted([
    [() => rng.int(15, 60), 35],
    [() => rng.int(60, 200), 50],
    [() => rng.int(200, 600), 15],
  ] as const)();
}

/** Writes `nFiles` files of nested ML projects under `dir`; returns what it wrote. */
export function generateWorkspace(dir: string, seed: number, nFiles: number): WorkspaceStats {
  const rng = new Rng(seed);
  const stats: WorkspaceStats = { files: 0, scripts: 0, notebooks: 0, scriptLines: 0, notebookLines: 0 };
  let project = 0;
  while (stats.files < nFiles) {
    const prng = rng.fork();
    const noun = prng.pick(NOUNS);
    const root = path.join(dir, `${noun}-${prng.pick(['pipeline', 'service', 'research', 'platform', 'models', 'analytics'])}-${project++}`);
    const pkg = `${noun}_${prng.pick(['ml', 'core', 'lib', 'models'])}`;
    const nInProject = Math.min(nFiles - stats.files, prng.int(15, 70));
    for (let i = 0; i < nInProject; i++) {
      const frng = prng.fork();
      const isNotebook = frng.chance(0.2);
      let rel: string;
      if (isNotebook) {
        rel = path.join(
          'notebooks',
          ...(frng.chance(0.3) ? [frng.pick(['archive', 'experiments', 'eda'])] : []),
          `${String(i).padStart(2, '0')}-${frng.pick(TOPICS)}-${noun}.ipynb`,
        );
        const { json, cells } = generateNotebook(frng, frng.int(8, 60));
        stats.notebooks++;
        for (const c of cells) if (c.cell_type === 'code') stats.notebookLines += c.source.split('\n').length;
        write(path.join(root, rel), json);
      } else {
        const profile = frng.weighted([
          ['sklearn', 4],
          ['torch', 3],
          ['api', 2],
          ['etl', 3],
          ['utils', 3],
          ['mixed', 1],
        ] as const);
        const folder = frng.weighted([
          [path.join('src', pkg), 5],
          [path.join('src', pkg, frng.pick(['data', 'models', 'features', 'training', 'serving'])), 4],
          ['scripts', 3],
          ['api', profile === 'api' ? 6 : 0],
          [path.join('experiments', `exp_${frng.int(1, 40)}`), 2],
          ['tests', 1],
        ] as const);
        const base =
          folder === 'tests'
            ? `test_${frng.pick(NOUNS)}_${i}`
            : `${frng.pick(['train', 'data', 'features', 'model', 'utils', 'serve', 'evaluate', 'preprocess', 'io', 'config'])}_${i}`;
        rel = path.join(folder, `${base}.py`);
        const text = generateScript(frng, fileSize(frng), profile);
        stats.scripts++;
        stats.scriptLines += countLines(text);
        write(path.join(root, rel), text);
      }
      stats.files++;
    }
  }
  return stats;
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.endsWith('\n') ? n : n + 1;
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

// ---------------------------------------------------------------------------------------------
// The whole benchmark corpus
// ---------------------------------------------------------------------------------------------

export interface Corpus {
  seed: number;
  version: number;
  single: Record<'1k' | '10k' | '50k', string>;
  edit: string;
  notebook: string;
  workspace: string;
  workspaceStats: WorkspaceStats;
}

export const SINGLE_SIZES = { '1k': 1_000, '10k': 10_000, '50k': 50_000 } as const;

/** Generates the corpus under `out` unless a manifest with the same seed and version is there. */
export function ensureCorpus(out: string, seed = DEFAULT_SEED, workspaceFiles = 2000): Corpus {
  const manifestPath = path.join(out, 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Corpus & { workspaceFiles: number };
      if (manifest.seed === seed && manifest.version === GENERATOR_VERSION && manifest.workspaceFiles === workspaceFiles) {
        const corpus = resolveCorpus(out, manifest);
        markAsRepository(corpus.workspace);
        return corpus;
      }
    } catch {
      // regenerate
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
  const rng = new Rng(seed);
  const single = {} as Record<'1k' | '10k' | '50k', string>;
  for (const [name, lines] of Object.entries(SINGLE_SIZES) as ['1k' | '10k' | '50k', number][]) {
    const file = path.join(out, 'single', `${name}.py`);
    write(file, trimToLines(generateScript(rng.fork(), lines, 'mixed'), lines));
    single[name] = file;
  }
  const edit = path.join(out, 'edit', 'edit-2k.py');
  write(edit, trimToLines(generateScript(rng.fork(), 2000, 'mixed'), 2000));
  const notebook = path.join(out, 'notebook', '300-cells.ipynb');
  write(notebook, generateNotebook(rng.fork(), 300).json);
  const workspace = path.join(out, 'workspace');
  const workspaceStats = generateWorkspace(workspace, Math.floor(rng.float() * 4294967296), workspaceFiles);
  markAsRepository(workspace);
  const corpus: Corpus = { seed, version: GENERATOR_VERSION, single, edit, notebook, workspace, workspaceStats };
  const relative = (p: string): string => path.relative(out, p);
  const stored = {
    ...corpus,
    single: { '1k': relative(single['1k']), '10k': relative(single['10k']), '50k': relative(single['50k']) },
    edit: relative(edit),
    notebook: relative(notebook),
    workspace: relative(workspace),
    workspaceFiles,
  };
  fs.writeFileSync(manifestPath, JSON.stringify(stored, null, 2) + '\n');
  return corpus;
}

/**
 * Makes the workspace the top of its own repository, as a checked-out project is. Without this,
 * tools that honour the .gitignore files above a folder (mlready does, like git) would skip it:
 * this repository ignores `.bench/`.
 */
function markAsRepository(workspace: string): void {
  if (fs.existsSync(path.join(workspace, '.git'))) return;
  const r = cp.spawnSync('git', ['init', '-q', workspace], { stdio: 'ignore' });
  if (r.status !== 0) fs.mkdirSync(path.join(workspace, '.git'), { recursive: true });
}

function resolveCorpus(out: string, stored: Corpus): Corpus {
  const abs = (p: string): string => path.resolve(out, p);
  return {
    ...stored,
    single: { '1k': abs(stored.single['1k']), '10k': abs(stored.single['10k']), '50k': abs(stored.single['50k']) },
    edit: abs(stored.edit),
    notebook: abs(stored.notebook),
    workspace: abs(stored.workspace),
  };
}

/**
 * Cuts a generated module at a top-level boundary at or before `lines` lines, then pads with
 * comment lines so the file has exactly `lines` lines and still parses.
 */
function trimToLines(text: string, lines: number): string {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  if (all.length > lines) {
    let cut = lines;
    // Back up to the start of a top-level statement that is not a decorated definition's body.
    const startsStatement = (i: number): boolean => /^[A-Za-z_#]/.test(all[i]) && !/^(else|elif|except|finally)\b/.test(all[i]) && !all[i - 1].startsWith('@');
    while (cut > 1 && !startsStatement(cut)) cut--;
    all.length = cut;
  }
  while (all.length < lines) all.push(all.length % 7 === 0 ? '' : `# padding line ${all.length + 1}`);
  return all.join('\n') + '\n';
}

function main(argv: string[]): void {
  let seed = DEFAULT_SEED;
  let out = path.resolve(__dirname, '..', '.bench');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') seed = Number(argv[++i]);
    else if (argv[i] === '--out') out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const started = performance.now();
  const corpus = ensureCorpus(out, seed);
  const s = corpus.workspaceStats;
  console.log(
    `corpus in ${out} (seed ${seed}): single files ${Object.keys(corpus.single).join('/')}, 300-cell notebook, ` +
      `workspace of ${s.files} files (${s.scripts} scripts, ${s.notebooks} notebooks; ${s.scriptLines + s.notebookLines} lines) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (require.main === module) main(process.argv.slice(2));
