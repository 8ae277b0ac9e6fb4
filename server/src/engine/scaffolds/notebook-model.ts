import type { Analysis } from '../analyze';
import type { SemanticModel } from '../semantic';
import type { SyntaxNode } from '../parser';
import { keywordArgument, keywordArguments, positionalArguments } from '../calls';
import { literalString } from '../literals';
import { namesIn } from '../dataflow';
import { PIPELINES, sklearnRandomness } from '../knowledge';

/**
 * What a notebook did, read from its program through the semantic model (qualified names through
 * imports and aliases, never the text typed): the data file it reads, its seed, the column it
 * predicts, the model it fits with its hyper-parameters, and the feature steps it applies to the
 * data frame before splitting. `--from` carries these into the generated pipeline.
 */

/** Something `--from` could not carry over, with the (1-based) cell it came from. */
export interface NotCarried {
  cell: number;
  what: string;
  reason: string;
}

export interface NotebookFacts {
  /** The path of the first `pandas.read_csv`/`read_table` call with a literal path, as written. */
  dataPath?: string;
  /** The name the data frame read from it is bound to (`df`). */
  frameName?: string;
  /** The first literal seed (`random_state=N`, `*.seed(N)`, `SEED = N`). */
  seed?: number;
  /** The column the notebook predicts (`y = df["col"]`, `df.drop(columns=["col"])`, `df.pop("col")`). */
  target?: string;
}

const READERS = new Set(['pandas.read_csv', 'pandas.read_table']);
const SEED_NAMES = /^(?:RANDOM_)?SEED$|^RANDOM_STATE$|^SEED_VALUE$/i;
const TARGET_NAMES = /^(?:y|Y|y_all|y_full|y_data|Y_train|y_train|\w*_?(?:target|targets|label|labels))$/;

/** The program's top-level statements (in a notebook: every cell's), in order. */
function topLevel(analysis: Analysis): SyntaxNode[] {
  return analysis.model.root.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

/** The cell of an offset as VS Code numbers it (1-based, markdown cells counted; 1 for a script). */
export function cellOf(analysis: Analysis, offset: number): number {
  const cells = analysis.notebook?.cells;
  if (!cells || cells.length === 0) return 1;
  let found = cells[0]!;
  for (const cell of cells) if (cell.start <= offset) found = cell;
  return found.notebookIndex + 1;
}

export function notebookFacts(analysis: Analysis): NotebookFacts {
  const model = analysis.model;
  const facts: NotebookFacts = {};
  for (const call of model.calls) {
    if (facts.dataPath === undefined && READERS.has(model.callee(call) ?? '')) {
      const value = literalString(keywordArgument(call, 'filepath_or_buffer') ?? positionalArguments(call)[0]);
      // The frame of the first read (its path may already read from the config).
      const assignment = call.parent?.type === 'assignment' ? call.parent : undefined;
      const left = assignment?.childForFieldName('left');
      if (facts.frameName === undefined && left?.type === 'identifier') facts.frameName = left.text;
      if (value !== undefined && value.trim() !== '') {
        facts.dataPath = value;
        if (left?.type === 'identifier') facts.frameName = left.text;
      }
    }
    if (facts.seed === undefined) {
      const seedArgument = keywordArgument(call, 'random_state') ?? keywordArgument(call, 'seed');
      const callee = model.callee(call) ?? '';
      const seedCall = /(?:^|\.)(?:random\.seed|manual_seed|set_seed|seed)$/.test(callee) ? positionalArguments(call)[0] : undefined;
      const literal = integerLiteral(seedArgument ?? seedCall);
      if (literal !== undefined) facts.seed = literal;
    }
  }
  if (facts.seed === undefined) {
    for (const assignment of model.assignments) {
      if (assignment.scope !== -1 || !SEED_NAMES.test(assignment.name)) continue;
      const literal = integerLiteral(assignment.value);
      if (literal !== undefined) {
        facts.seed = literal;
        break;
      }
    }
  }
  facts.target = findTarget(analysis);
  return facts;
}

function integerLiteral(node: SyntaxNode | undefined | null): number | undefined {
  if (!node || node.type !== 'integer') return undefined;
  const value = Number(node.text.replace(/_/g, ''));
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `y = df["col"]`, `y = df.col`, `y = df.pop("col")`, `X = df.drop("col", axis=1)`, `df.drop(columns=["col"])`. */
function findTarget(analysis: Analysis): string | undefined {
  const model = analysis.model;
  // The frame read from the file, or one derived from it (`train_set`, `strat_train_set`): any name.
  const isFrame = (node: SyntaxNode | null | undefined) => node?.type === 'identifier';
  let fromDrop: string | undefined;
  for (const assignment of model.assignments) {
    if (assignment.index !== undefined) continue;
    let value = assignment.value;
    // `y = df["col"].copy()`, `.values`, `.to_numpy()`: the column is the subscript inside.
    for (let depth = 0; depth < 3; depth++) {
      if (value.type === 'call' && /^(?:copy|to_numpy|ravel|astype)$/.test(model.method(value)?.name ?? '')) value = model.method(value)!.receiver;
      else if (
        value.type === 'attribute' &&
        value.childForFieldName('attribute')?.text === 'values' &&
        /^(?:subscript|attribute)$/.test(value.childForFieldName('object')?.type ?? '')
      )
        value = value.childForFieldName('object')!;
      else break;
    }
    const isTargetName =
      TARGET_NAMES.test(assignment.name) && (!/label|target/i.test(assignment.name) || value.type === 'subscript' || value.type === 'attribute');
    if (isTargetName) {
      if (value.type === 'subscript' && isFrame(value.childForFieldName('value'))) {
        const column = literalString(value.childForFieldName('subscript') ?? undefined);
        if (column !== undefined) return column;
      }
      if (value.type === 'attribute' && isFrame(value.childForFieldName('object'))) {
        const column = value.childForFieldName('attribute')?.text;
        if (column && !['values', 'iloc', 'loc', 'shape', 'columns', 'index', 'T'].includes(column)) return column;
      }
      if (value.type === 'call' && model.method(value)?.name === 'pop' && isFrame(model.method(value)!.receiver)) {
        const column = literalString(positionalArguments(value)[0]);
        if (column !== undefined) return column;
      }
    }
    if (fromDrop === undefined && /^(?:X|x|X_all|X_full|features)$/.test(assignment.name) && value.type === 'call') {
      const method = model.method(value);
      if (method?.name === 'drop' && isFrame(method.receiver)) {
        const columns = keywordArgument(value, 'columns') ?? positionalArguments(value)[0];
        const single = columns?.type === 'list' && columns.namedChildCount === 1 ? columns.namedChild(0) : columns;
        const column = literalString(single ?? undefined);
        if (column !== undefined) fromDrop = column;
      }
    }
  }
  return fromDrop;
}

// ---- the model -----------------------------------------------------------------------------------

export interface CarriedEstimator {
  /** `sklearn.ensemble.RandomForestClassifier`. */
  qualified: string;
  /** The constructor call, as Python: `RandomForestClassifier(n_estimators=200, random_state=pipeline_config.SEED)`. */
  call: string;
  cell: number;
  /** Hyper-parameters carried over, as `name=value`. */
  parameters: string[];
  notes: NotCarried[];
}

const ESTIMATOR_MODULES = /^(?:sklearn|xgboost|lightgbm|catboost)\./;
const ESTIMATOR_CLASS =
  /(?:Classifier|Regressor|Regression|^SVC|^SVR|^LinearSVC|^LinearSVR|^NuSVC|^NuSVR|NB|^Lasso\w*|^Ridge\w*|^ElasticNet\w*|^Perceptron|^Lars\w*|^OrthogonalMatchingPursuit\w*|^KernelRidge|^GaussianProcess\w+|DiscriminantAnalysis|^XGB\w+|^LGBM\w+|^CatBoost\w+)$/;
const CLASSIFIER_CLASS = /Classifier|^SVC$|^LinearSVC$|^NuSVC$|NB$|^LogisticRegression|DiscriminantAnalysis|^Perceptron$|^RidgeClassifier/;
/** Keywords an estimator cannot be built without (meta-estimators). */
const REQUIRED_KEYWORDS = /^(?:estimators?|base_estimator|final_estimator)$/;
/** Estimators that take non-negative counts only (the generated preprocessing standardises its inputs). */
const NEEDS_NON_NEGATIVE = /^(?:MultinomialNB|ComplementNB|CategoricalNB)$/;
const SEARCHES = /(?:GridSearchCV|RandomizedSearchCV|HalvingGridSearchCV|HalvingRandomSearchCV|BayesSearchCV)$/;

/**
 * The model the notebook trains: the estimator of its last `.fit(...)` call (looking through a
 * hyper-parameter search or a Pipeline to the estimator inside), with the hyper-parameters that
 * are plain values. A seed becomes `pipeline_config.SEED`; arguments that use the notebook's own
 * variables are left out and reported.
 */
export function findEstimator(
  analysis: Analysis,
  task: 'classification' | 'regression' | undefined,
  configAlias: string,
): CarriedEstimator | { notes: NotCarried[] } | undefined {
  const model = analysis.model;
  let found: { construction: SyntaxNode; qualified: string; notes: NotCarried[] } | undefined;
  for (const call of model.calls) {
    const method = model.method(call);
    if (method?.name !== 'fit') continue;
    const resolved = resolveEstimator(model, analysis, method.receiver, 0);
    if (resolved) found = resolved;
  }
  if (!found) return undefined;
  const { construction, qualified, notes } = found;
  const cell = cellOf(analysis, construction.startIndex);
  const name = qualified.split('.').pop()!;
  const isClassifier = CLASSIFIER_CLASS.test(name);
  const isRegressor = !isClassifier && /Regressor|Regression$|^SVR$|^LinearSVR$|^NuSVR$|^Lasso|^Ridge|^ElasticNet|^Lars|^KernelRidge/.test(name);
  if (task && ((task === 'classification' && isRegressor) || (task === 'regression' && isClassifier))) {
    notes.push({
      cell,
      what: `\`${name}\``,
      reason: `a ${isClassifier ? 'classifier' : 'regressor'}, but the target makes this ${task}: the pipeline keeps its default model`,
    });
    return { notes };
  }
  if (NEEDS_NON_NEGATIVE.test(name)) {
    notes.push({
      cell,
      what: `\`${name}\``,
      reason: 'it needs non-negative counts, and the generated preprocessing scales the inputs: the pipeline keeps its default model',
    });
    return { notes };
  }
  const parts: string[] = [];
  const parameters: string[] = [];
  const before = notes.length;
  let required = false;
  let inlineEstimator = false;
  for (const argument of construction.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!argument || argument.type === 'comment') continue;
    if (argument.type === 'keyword_argument') {
      const key = argument.childForFieldName('name')?.text ?? '';
      const value = argument.childForFieldName('value');
      if (key === 'random_state' || key === 'seed' || key === 'random_seed') {
        parts.push(`${key}=${configAlias}.SEED`);
        continue;
      }
      const portable = value ? portableValue(model, value, 0) : undefined;
      if (portable === undefined) {
        notes.push({ cell, what: `\`${key}=\` of \`${name}\``, reason: `${whyNotPortable(value)}; set it in build_estimator()` });
        if (REQUIRED_KEYWORDS.test(key)) {
          required = true;
          inlineEstimator ||= value?.type === 'call';
        }
        continue;
      }
      parts.push(`${key}=${portable}`);
      parameters.push(`${key}=${portable}`);
    } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
      notes.push({
        cell,
        what: `\`${argument.text.slice(0, 40)}\` in \`${name}(...)\``,
        reason: 'parameters unpacked from a variable are not carried over; write them in build_estimator()',
      });
    } else {
      const portable = portableValue(model, argument, 0);
      if (portable === undefined) {
        notes.push({ cell, what: `an argument of \`${name}\``, reason: `${whyNotPortable(argument)}; set it in build_estimator()` });
        required = true; // a positional argument: the ones after it would shift
        inlineEstimator ||= argument.type === 'call';
        continue;
      }
      parts.push(portable);
      parameters.push(portable);
    }
  }
  if (required) {
    // Without it the estimator cannot be built (`VotingClassifier(estimators=models)`): keep the default model.
    notes.splice(before);
    notes.push({
      cell,
      what: `\`${name}(...)\``,
      reason: `${
        inlineEstimator ? 'it builds the estimators it wraps in its own call' : "its estimators or positional arguments come from the notebook's own variables"
      }; write them in build_estimator(): the pipeline keeps its default model until then`,
    });
    return { notes };
  }
  // An estimator that draws random numbers gets the pipeline's seed when the notebook gave none
  // (an unseeded decision tree trains differently each run, and the generated tests train twice).
  const seeded = parts.some((part) => /^(random_state|seed|random_seed)=/.test(part));
  if (!seeded && sklearnRandomness(qualified)?.[1] === 'always') parts.push(`random_state=${configAlias}.SEED`);
  return { qualified, call: `${name}(${parts.join(', ')})`, cell, parameters, notes };
}

/** Why a value of the notebook is not carried over: a call builds something (an estimator), a name is the notebook's own. */
function whyNotPortable(value: SyntaxNode | null | undefined): string {
  if (value?.type === 'call') return `it is built by a call (\`${(value.childForFieldName('function')?.text ?? 'call').slice(0, 40)}(...)\`)`;
  return "it uses the notebook's own variables";
}

function resolveEstimator(
  model: SemanticModel,
  analysis: Analysis,
  expr: SyntaxNode | null | undefined,
  depth: number,
): { construction: SyntaxNode; qualified: string; notes: NotCarried[] } | undefined {
  const construction = findConstruction(model, expr, 0);
  if (!construction || depth > 4) return undefined;
  const qualified = model.callee(construction);
  if (!qualified) return undefined;
  const cell = cellOf(analysis, construction.startIndex);
  const name = qualified.split('.').pop()!;
  if (SEARCHES.test(qualified)) {
    const inner = resolveEstimator(model, analysis, keywordArgument(construction, 'estimator') ?? positionalArguments(construction)[0], depth + 1);
    inner?.notes.push({
      cell,
      what: `\`${name}\``,
      reason:
        'the hyper-parameter search is not carried over: build_estimator() returns the estimator with the parameters the notebook wrote; put the best ones there',
    });
    return inner;
  }
  if (PIPELINES.has(qualified)) {
    let last: SyntaxNode | undefined;
    if (qualified.endsWith('make_pipeline')) last = positionalArguments(construction).at(-1);
    else {
      const steps = keywordArgument(construction, 'steps') ?? positionalArguments(construction)[0];
      const step = steps?.type === 'list' ? steps.namedChildren.filter((n) => n && n.type !== 'comment').at(-1) : undefined;
      last = step?.type === 'tuple' ? (step.namedChildren.filter((n) => n && n.type !== 'comment')[1] ?? undefined) : undefined;
    }
    const inner = resolveEstimator(model, analysis, last, depth + 1);
    inner?.notes.push({
      cell,
      what: `the steps of the notebook's \`${name}\` before the model`,
      reason: 'the generated preprocessing (imputation, scaling, one-hot encoding) takes their place',
    });
    return inner;
  }
  if (!ESTIMATOR_MODULES.test(qualified) || !ESTIMATOR_CLASS.test(name)) return undefined;
  return { construction, qualified, notes: [] };
}

/** The call that constructs what `expr` holds: `clf` → `RandomForestClassifier(...)`, through `.fit()` and `.set_params()`. */
function findConstruction(model: SemanticModel, expr: SyntaxNode | null | undefined, depth: number): SyntaxNode | undefined {
  if (!expr || depth > 8) return undefined;
  switch (expr.type) {
    case 'call': {
      const method = model.method(expr);
      if (method && (method.name === 'fit' || method.name === 'set_params')) return findConstruction(model, method.receiver, depth + 1);
      return expr;
    }
    case 'identifier': {
      const assigned = model.valueOf(expr.text, expr);
      return assigned && assigned.index === undefined ? findConstruction(model, assigned.value, depth + 1) : undefined;
    }
    case 'parenthesized_expression':
      return findConstruction(model, expr.namedChild(0), depth + 1);
    default:
      return undefined;
  }
}

const LITERAL_TYPES = new Set(['integer', 'float', 'true', 'false', 'none']);

/** A value's Python text when it is made only of literals (following module-level constants), else undefined. */
function portableValue(model: SemanticModel, node: SyntaxNode, depth: number): string | undefined {
  if (depth > 6) return undefined;
  const type = node.type;
  if (LITERAL_TYPES.has(type)) return node.text;
  if (type === 'string') return node.namedChildren.some((c) => c?.type === 'interpolation') ? undefined : node.text;
  if (type === 'concatenated_string') return node.namedChildren.every((c) => c && portableValue(model, c, depth + 1) !== undefined) ? node.text : undefined;
  if (
    type === 'unary_operator' ||
    type === 'binary_operator' ||
    type === 'parenthesized_expression' ||
    type === 'list' ||
    type === 'tuple' ||
    type === 'dictionary' ||
    type === 'set' ||
    type === 'pair'
  ) {
    const parts = node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    const values = parts.map((c) => portableValue(model, c, depth + 1));
    if (values.some((v) => v === undefined)) return undefined;
    // Rebuild from the children's (possibly inlined) text, keeping the operators between them.
    let text = node.text;
    for (let i = parts.length - 1; i >= 0; i--) {
      const child = parts[i]!;
      text = text.slice(0, child.startIndex - node.startIndex) + values[i] + text.slice(child.endIndex - node.startIndex);
    }
    return text;
  }
  if (type === 'identifier') {
    const assigned = model.valueOf(node.text, node);
    if (assigned && assigned.index === undefined && assigned.scope === -1) return portableValue(model, assigned.value, depth + 1);
    return undefined;
  }
  return undefined;
}

// ---- the feature steps -----------------------------------------------------------------------------

export interface FeatureSteps {
  /** The name the notebook gives its data frame (`df`). */
  frameName: string;
  /** The statements, as written (after mlready's fixes), in order. */
  statements: Array<{ cell: number; text: string }>;
  /** Names of notebook imports the statements use. */
  imports: Set<string>;
  notes: NotCarried[];
}

/** Methods that change which rows a frame has, or their order: not a feature step (rows must stay aligned with the target). */
const ROW_CHANGING = new Set([
  'dropna',
  'drop_duplicates',
  'query',
  'sample',
  'head',
  'tail',
  'merge',
  'join',
  'concat',
  'append',
  'sort_values',
  'sort_index',
  'groupby',
  'pivot',
  'pivot_table',
  'melt',
  'explode',
  'stack',
  'unstack',
  'nlargest',
  'nsmallest',
  'truncate',
  'resample',
  'reindex',
]);
/** Statements that only look at the data (or draw it) are left out of features() silently. */
const SPLITTERS = /(?:train_test_split|KFold|StratifiedKFold|cross_val_score|cross_validate)$/;
const BUILTIN_NAMES = new Set([
  'len',
  'str',
  'int',
  'float',
  'bool',
  'list',
  'dict',
  'set',
  'tuple',
  'range',
  'abs',
  'min',
  'max',
  'sum',
  'round',
  'sorted',
  'zip',
  'map',
  'filter',
  'any',
  'all',
  'isinstance',
  'print',
  'True',
  'False',
  'None',
  'enumerate',
  'type',
  'object',
]);

/**
 * The notebook's feature steps: the top-level statements after the data is read and before it is
 * split or fitted that add, transform or drop columns of the data frame, keeping its rows. They
 * must use only the frame, the notebook's imports, builtins, literal constants and the columns the
 * pipeline feeds (`columns`), never the target. The rest is reported, with its cell.
 */
export function findFeatureSteps(analysis: Analysis, facts: NotebookFacts, columns: readonly string[]): FeatureSteps | undefined {
  const frame = facts.frameName;
  if (!frame) return undefined;
  const model = analysis.model;
  const importNames = new Set(model.imports.map((binding) => binding.local));
  const statements = topLevel(analysis);
  const known = new Set(columns);
  const result: FeatureSteps = { frameName: frame, statements: [], imports: new Set(), notes: [] };
  let reading = false;
  /** The cell of a step that changed the frame's rows, index or columns and could not be carried. */
  let reshapedAt: number | undefined;
  const constants = new Map<string, SyntaxNode>();
  for (const statement of statements) {
    const cell = cellOf(analysis, statement.startIndex);
    if (!reading) {
      if (statement.descendantsOfType('call').some((call) => READERS.has(model.callee(call) ?? '')) && assignedNames(statement).includes(frame)) reading = true;
      continue;
    }
    const calls = statement.type === 'expression_statement' || statement.type === 'delete_statement' ? statement.descendantsOfType('call') : [];
    if (
      statement.descendantsOfType('call').some((call) => SPLITTERS.test(model.callee(call) ?? '') || model.method(call)?.name === 'fit') ||
      (statement.type === 'expression_statement' && assignedNames(statement).some((name) => /^(?:X|x|y|Y|X_train|y_train|features|target|labels)$/.test(name)))
    ) {
      break; // the split or the fit: the feature steps are over
    }
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (
      assignment?.type === 'assignment' &&
      assignment.childForFieldName('left')?.type === 'identifier' &&
      assignment.childForFieldName('left')!.text !== frame
    ) {
      const value = assignment.childForFieldName('right');
      if (value && portableValue(model, value, 0) !== undefined) constants.set(assignment.childForFieldName('left')!.text, statement);
      continue;
    }
    if (!changesFrame(statement, frame, model, calls)) continue;
    const text = statement.text.split('\n')[0]!.slice(0, 60);
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const reject = (reason: string) => result.notes.push({ cell, what: `\`${text}${statement.text.length > text.length ? '…' : ''}\``, reason });
    if (reshapedAt !== undefined) {
      // The frame it saw was reshaped by a step that could not be carried: it would see other data.
      reject(`it follows a step that could not be carried over (Cell ${reshapedAt}), so it would see other rows or columns`);
      continue;
    }
    const method = calls.map((call) => model.method(call)?.name).find((name) => name && ROW_CHANGING.has(name));
    if (method) {
      reject(`\`${method}\` changes the rows, and features() must keep them aligned with the target`);
      reshapedAt = cell;
      continue;
    }
    if (filtersRows(statement, frame)) {
      reject('it selects or edits particular rows, and features() must keep every row, aligned with the target');
      reshapedAt = cell;
      continue;
    }
    const readsIndex = statement
      .descendantsOfType('attribute')
      .some((a) => a.childForFieldName('object')?.text === frame && a.childForFieldName('attribute')?.text === 'index');
    if (readsIndex && !(left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'index')) {
      reject("it reads the frame's index, which the model's input rows do not carry");
      continue;
    }
    if (left?.type === 'attribute' && rootIdentifier(left) === frame && /^(?:columns|index)$/.test(left.childForFieldName('attribute')?.text ?? '')) {
      reject(`it sets the frame's ${left.childForFieldName('attribute')!.text}, which come from the input the model gets`);
      reshapedAt = cell;
      continue;
    }
    const strings = statement
      .descendantsOfType('string')
      .map((s) => literalString(s))
      .filter((s): s is string => s !== undefined);
    if (facts.target !== undefined && strings.includes(facts.target)) {
      reject(`it uses the target \`${facts.target}\`, which the model does not get as an input`);
      continue;
    }
    const created = createdColumns(statement, frame);
    const missing = [...readColumns(statement, frame), ...attributeColumns(statement, frame)].filter((c) => !known.has(c) && !created.includes(c));
    if (missing.length > 0) {
      reject(
        `it reads ${missing.map((c) => `\`${c}\``).join(', ')}, which the pipeline does not feed to the model (not in the data, or left out as an identifier)`,
      );
      continue;
    }
    const free = freeNames(statement).filter((name) => name !== frame && !BUILTIN_NAMES.has(name));
    const unknown = free.filter((name) => !importNames.has(name) && !constants.has(name));
    if (unknown.length > 0) {
      reject(`it uses the notebook's own ${unknown.map((n) => `\`${n}\``).join(', ')}; move what it needs into features()`);
      continue;
    }
    for (const name of free) {
      if (importNames.has(name)) result.imports.add(name);
      const constant = constants.get(name);
      if (constant && !result.statements.some((s) => s.text === constant.text))
        result.statements.push({ cell: cellOf(analysis, constant.startIndex), text: constant.text });
    }
    for (const column of created) known.add(column);
    const dropped = dropCalls(statement, frame);
    for (const { columns: names } of dropped) for (const name of names) known.delete(name);
    result.statements.push({ cell, text: ignoreMissingOnDrop(statement, dropped) });
  }
  return result.statements.length > 0 || result.notes.length > 0 ? result : undefined;
}

function assignedNames(statement: SyntaxNode): string[] {
  const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  if (assignment?.type !== 'assignment' && assignment?.type !== 'augmented_assignment') return [];
  const left = assignment.childForFieldName('left');
  if (!left) return [];
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern') return left.namedChildren.filter((n) => n?.type === 'identifier').map((n) => n!.text);
  return [];
}

/** Whether a statement assigns to the frame, one of its columns, or changes it in place. */
function changesFrame(statement: SyntaxNode, frame: string, model: SemanticModel, calls: SyntaxNode[]): boolean {
  if (statement.type === 'delete_statement') return statement.namedChildren.some((n) => n && rootIdentifier(n) === frame);
  if (statement.type !== 'expression_statement') return false;
  const expression = statement.namedChild(0);
  if (expression?.type === 'assignment' || expression?.type === 'augmented_assignment') {
    const left = expression.childForFieldName('left');
    return left !== null && rootIdentifier(left) === frame;
  }
  if (expression?.type === 'call') {
    const method = model.method(expression);
    const inPlace = keywordArgument(expression, 'inplace')?.type === 'true';
    return method !== undefined && rootIdentifier(method.receiver) === frame && inPlace && calls.length > 0;
  }
  return false;
}

function rootIdentifier(node: SyntaxNode): string | undefined {
  let current: SyntaxNode | null = node;
  while (current && (current.type === 'subscript' || current.type === 'attribute' || current.type === 'call')) {
    current =
      current.type === 'subscript'
        ? current.childForFieldName('value')
        : current.type === 'attribute'
          ? current.childForFieldName('object')
          : current.childForFieldName('function');
  }
  return current?.type === 'identifier' ? current.text : undefined;
}

/** `df = df[mask]`, `df = df.loc[mask]`, `df.drop(index=...)`, `df.drop(0)`: statements that keep only some rows. */
function filtersRows(statement: SyntaxNode, frame: string): boolean {
  for (const subscript of statement.descendantsOfType('subscript')) {
    const value = subscript.childForFieldName('value');
    const index = subscript.childForFieldName('subscript');
    if (!value || !index) continue;
    const isFrame = value.type === 'identifier' && value.text === frame;
    const indexer = value.type === 'attribute' && rootIdentifier(value) === frame ? value.childForFieldName('attribute')?.text : undefined;
    if (indexer === 'at' || indexer === 'iat') return true; // one cell of one row: a data fix, not a feature
    if (indexer === 'loc' || indexer === 'iloc') {
      // `df.loc[:, "col"]` and `df.loc[mask, "col"] = v` (an assignment target) keep the rows;
      // `df.loc[61, "col"] = v` edits (or adds) one row: a data fix, not a feature.
      const first = index.type === 'tuple' || index.type === 'expression_list' ? index.namedChild(0) : index;
      const isTarget = statement.namedChild(0)?.type === 'assignment' && statement.namedChild(0)!.childForFieldName('left')?.equals(subscript);
      if (!isTarget && first?.type !== 'slice') return true;
      if (first && /^(?:integer|string|list|unary_operator)$/.test(first.type)) return true;
      continue;
    }
    if (isFrame && literalString(index) === undefined && index.type !== 'list') {
      const isTarget = statement.namedChild(0)?.type === 'assignment' && statement.namedChild(0)!.childForFieldName('left')?.equals(subscript);
      if (!isTarget) return true;
    }
  }
  for (const call of statement.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'drop' || rootIdentifier(fn) !== frame) continue;
    const axis = keywordArgument(call, 'axis');
    const byColumns =
      keywordArguments(call).has('columns') ||
      (axis !== undefined && /^(?:1|"columns"|'columns')$/.test(axis.text)) ||
      positionalArguments(call)[1]?.text === '1';
    if (!byColumns) return true;
  }
  return false;
}

/** Columns read with `df["col"]` or `df.col` (attribute reads of names that are not DataFrame members are not followed). */
function readColumns(statement: SyntaxNode, frame: string): string[] {
  const columns = new Set<string>();
  for (const subscript of statement.descendantsOfType('subscript')) {
    const value = subscript.childForFieldName('value');
    if (value?.type !== 'identifier' || value.text !== frame) continue;
    const index = subscript.childForFieldName('subscript');
    const names = index?.type === 'list' ? index.namedChildren.map((n) => (n ? literalString(n) : undefined)) : [literalString(index ?? undefined)];
    for (const name of names) if (name !== undefined) columns.add(name);
  }
  for (const column of createdColumns(statement, frame)) {
    // An assignment target is written, not read (unless the right side reads it too).
    const assignment = statement.namedChild(0);
    if (
      assignment?.type === 'assignment' &&
      !assignment
        .childForFieldName('right')
        ?.descendantsOfType('string')
        .some((s) => literalString(s) === column)
    )
      columns.delete(column);
  }
  return [...columns];
}

function createdColumns(statement: SyntaxNode, frame: string): string[] {
  const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  if (assignment?.type !== 'assignment') return [];
  const left = assignment.childForFieldName('left');
  if (left?.type !== 'subscript' || left.childForFieldName('value')?.text !== frame) return [];
  const column = literalString(left.childForFieldName('subscript') ?? undefined);
  return column === undefined ? [] : [column];
}

/** Names a statement reads that it does not bind itself (lambda parameters, comprehension variables). */
function freeNames(statement: SyntaxNode): string[] {
  const bound = new Set<string>();
  for (const lambda of statement.descendantsOfType('lambda')) {
    for (const parameter of lambda.childForFieldName('parameters')?.descendantsOfType('identifier') ?? []) bound.add(parameter.text);
  }
  for (const clause of statement.descendantsOfType('for_in_clause')) {
    for (const name of clause.childForFieldName('left')?.descendantsOfType('identifier') ?? []) bound.add(name.text);
  }
  return [...namesIn(statement)].filter((name) => !bound.has(name));
}

/** `df.drop(columns=[...])` / `df.drop([...], axis=1)` calls on the frame, with the columns they name. */
function dropCalls(statement: SyntaxNode, frame: string): Array<{ call: SyntaxNode; columns: string[] }> {
  const found: Array<{ call: SyntaxNode; columns: string[] }> = [];
  for (const call of statement.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'drop' || rootIdentifier(fn) !== frame) continue;
    const named = keywordArgument(call, 'columns') ?? keywordArgument(call, 'labels') ?? positionalArguments(call)[0];
    const items = named?.type === 'list' || named?.type === 'tuple' ? named.namedChildren : [named];
    found.push({ call, columns: items.map((item) => (item ? literalString(item) : undefined)).filter((c): c is string => c !== undefined) });
  }
  return found;
}

/**
 * The statement's text, with `errors="ignore"` on its column drops: a notebook drops columns the
 * pipeline may already leave out (identifiers, the target), and the model's input never has them.
 */
function ignoreMissingOnDrop(statement: SyntaxNode, drops: Array<{ call: SyntaxNode }>): string {
  let text = statement.text;
  const inserts = drops
    .filter(({ call }) => keywordArgument(call, 'errors') === undefined)
    .map(({ call }) => call.childForFieldName('arguments')!.endIndex - 1 - statement.startIndex)
    .sort((a, b) => b - a);
  for (const at of inserts) {
    const before = text.slice(0, at).trimEnd();
    text = `${before}${before.endsWith(',') || before.endsWith('(') ? ' ' : ', '}errors="ignore"${text.slice(at)}`.replace('( errors', '(errors');
  }
  return text;
}

/** DataFrame attributes that are not columns (`df.shape`); a call (`df.head()`) is never a column. */
const FRAME_ATTRIBUTES = new Set([
  'shape',
  'columns',
  'index',
  'values',
  'T',
  'dtypes',
  'loc',
  'iloc',
  'at',
  'iat',
  'empty',
  'size',
  'ndim',
  'axes',
  'style',
  'plot',
  'str',
  'dt',
  'cat',
  'attrs',
  'flags',
  'sparse',
]);

/** Columns read as attributes (`df.age`), which the frame must have. */
function attributeColumns(statement: SyntaxNode, frame: string): string[] {
  const columns = new Set<string>();
  for (const attribute of statement.descendantsOfType('attribute')) {
    const object = attribute.childForFieldName('object');
    if (object?.type !== 'identifier' || object.text !== frame) continue;
    const name = attribute.childForFieldName('attribute')?.text;
    if (!name || FRAME_ATTRIBUTES.has(name)) continue;
    const parent = attribute.parent;
    if (parent?.type === 'call' && parent.childForFieldName('function')?.equals(attribute)) continue;
    const assignment = statement.namedChild(0);
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.equals(attribute)) continue;
    columns.add(name);
  }
  return [...columns];
}
