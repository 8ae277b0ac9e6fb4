import { defineRule } from '../rule';
import { dottedText, type SemanticModel } from '../semantic';
import type { SyntaxNode } from '../parser';
import { keywordArgument, positionalArguments } from '../calls';

/** Indexers whose result is the frame's own data: `df.loc[...] = v` writes through. */
const INDEXERS = new Set(['loc', 'iloc', 'at', 'iat', 'ix']);
/** Attributes of a frame that are not column accessors. */
const NOT_COLUMNS = new Set(['values', 'shape', 'dtypes', 'dtype', 'size', 'ndim', 'columns', 'index', 'T', 'attrs', 'flags', 'str', 'dt', 'cat']);
/** Methods whose result is no longer a pandas object. */
const NOT_FRAME_METHODS = new Set([
  'to_numpy',
  'tolist',
  'to_list',
  'to_dict',
  'to_records',
  'item',
  'to_json',
  'to_csv',
  'to_string',
  'get_loc',
  'nunique',
  'memory_usage',
]);
/** Boolean-valued Series methods that make a row mask. */
const MASK_METHODS = new Set([
  'isna',
  'isnull',
  'notna',
  'notnull',
  'isin',
  'between',
  'duplicated',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'contains',
  'startswith',
  'endswith',
  'match',
  'fullmatch',
  'isdigit',
  'isalpha',
  'isnumeric',
  'any',
  'all',
]);

const PANDAS_MASK_METHODS = new Set(['isna', 'isnull', 'notna', 'notnull', 'isin', 'between', 'duplicated', 'contains', 'startswith', 'endswith']);

export default defineRule({
  name: 'chained-assignment',
  category: 'data',
  severity: 'warning',
  scope: 'statement',
  summary: 'pandas chained indexing on the left of an assignment (`df[mask]["col"] = v`), which may write to a copy.',
  fix: 'safe',
  requiresImport: ['pandas'],
  docs: {
    what: 'Flags assignments whose target indexes a pandas object twice: `df[mask]["col"] = v`, `df["a"]["b"] = v`, `df.col[mask] = v`, `df.loc[rows]["col"] = v` (and their augmented forms such as `+=`). The object must be known to be pandas (created by a `pandas` function or derived from one through assignments and method chains), or the row mask must test the object itself (`df[df.x.isna()]["x"] = 0`), a shape only array-likes accept.',
    why: 'The first indexing may return a copy; the assignment then changes that temporary copy and is thrown away, and the frame keeps its old values. pandas only warns (`SettingWithCopyWarning`), and with copy-on-write (the default from pandas 3) it never writes at all. A cleaning step that silently does nothing sends dirty data into training.',
    example: 'sales[sales["quantity"] < 0]["quantity"] = 0\nsales.price[sales.price.isna()] = sales.price.median()',
    useInstead: 'sales.loc[sales["quantity"] < 0, "quantity"] = 0\nsales.loc[sales.price.isna(), "price"] = sales.price.median()',
    fixSafety:
      'Offered only where the shape is unambiguous: a boolean row mask and a column label given as a string literal (`df[mask]["col"]`, `df["col"][mask]`, `df.col[mask]`). The fix writes `df.loc[mask, "col"] = v`, which performs the assignment the code meant; where the chained form happened to write through a view, the result is the same. It is safe only where the object is known to be a DataFrame (from `pd.read_csv`, `pd.DataFrame`, a mask or a method that keeps a frame) and the attribute is not a DataFrame or Series attribute; otherwise it is unsafe (`s.array[mask] = 3` on a Series writes the array, and `.loc[mask, "array"]` would add a label). `df["a"]["b"] = v` gets no fix: whether `"b"` is a row label depends on the index.',
    notes:
      'Nested dictionaries and lists (`settings["model"]["n"] = 3`) and NumPy arrays indexed by position (`grid[0][1] = 5`) are not flagged; a NumPy array known to come from `numpy` is never flagged; nor is the dict of frames that `pd.read_excel(path, sheet_name=None)` (or a list of sheets) returns: `sheets[name]["col"] = v` looks a frame up, then writes its column. A single `df["col"] = v`, `df.loc[...] = v`, `df.at[...] = v` and `df[["a", "b"]] = ...` are the correct forms. A frame that arrives as a function parameter is only recognised through a mask that tests it, since its type is not known.',
  },
  create(context) {
    const { model } = context;
    const check = (target: SyntaxNode | null): void => {
      if (target?.type !== 'subscript') return;
      const inner = target.childForFieldName('value');
      const outerIndex = target.childForFieldName('subscript');
      if (!inner || !outerIndex || target.childrenForFieldName('subscript').length !== 1) return;
      let base: SyntaxNode | null;
      let innerIndex: SyntaxNode | null = null;
      let column: string | undefined;
      if (inner.type === 'subscript') {
        base = inner.childForFieldName('value');
        innerIndex = inner.childForFieldName('subscript');
        if (inner.childrenForFieldName('subscript').length !== 1) return;
      } else if (inner.type === 'attribute') {
        base = inner.childForFieldName('object');
        const attribute = inner.childForFieldName('attribute')?.text;
        if (!attribute || INDEXERS.has(attribute) || NOT_COLUMNS.has(attribute)) return;
        column = attribute;
      } else {
        return;
      }
      if (!base) return;
      // `df.loc[rows]["col"] = v` chains too: the frame is `df`.
      let frame = base;
      if (frame.type === 'attribute' && INDEXERS.has(frame.childForFieldName('attribute')?.text ?? '')) frame = frame.childForFieldName('object')!;
      const frameName = dottedText(frame);
      const masks = [innerIndex, outerIndex].filter((index): index is SyntaxNode => index !== null);
      // `obj.arr[obj.arr > 0] = 0` is one NumPy indexing of an attribute; for `df.col[mask]` the mask must be pandas-only.
      const tested =
        frameName !== undefined &&
        masks.some((index) => (column === undefined ? isMask(index, model) : pandasMask(index, model)) && mentions(index, frameName));
      const known = isFrame(frame, model);
      if (known === false || (!known && !tested)) return;
      context.report({
        node: target,
        message: `Chained indexing \`${shorten(target.text)} = …\` may assign to a temporary copy and leave \`${frameName ?? 'the frame'}\` unchanged; assign through one indexer: \`.loc[rows, "col"] = …\``,
        fix: locFix(target, base, frame, innerIndex, outerIndex, column, model),
      });
    };
    return {
      assignment(node) {
        check(node.childForFieldName('left'));
      },
      augmented_assignment(node) {
        check(node.childForFieldName('left'));
      },
    };
  },
});

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** `df.loc[mask, "col"]` for the unambiguous shapes; undefined otherwise. */
function locFix(
  target: SyntaxNode,
  base: SyntaxNode,
  frame: SyntaxNode,
  innerIndex: SyntaxNode | null,
  outerIndex: SyntaxNode,
  column: string | undefined,
  model: SemanticModel,
) {
  if (base !== frame || dottedText(frame) === undefined) return undefined;
  let mask: SyntaxNode;
  let label: string;
  if (column !== undefined) {
    // df.col[mask]
    if (!isMask(outerIndex, model)) return undefined;
    mask = outerIndex;
    label = JSON.stringify(column);
  } else if (innerIndex && isMask(innerIndex, model) && isLabel(outerIndex)) {
    mask = innerIndex;
    label = outerIndex.text;
  } else if (innerIndex && isLabel(innerIndex) && isMask(outerIndex, model)) {
    mask = outerIndex;
    label = innerIndex.text;
  } else {
    return undefined;
  }
  const text = `${frame.text}.loc[${mask.text}, ${label}]`;
  // Safe only where the rewrite cannot change behaviour: a known DataFrame, and an attribute that is a column (`s.array[mask] = 3` on a Series is not).
  const safe = isDataFrame(frame, model) && (column === undefined || !FRAME_ATTRIBUTES.has(column));
  return {
    title: 'Assign through `.loc[rows, column]`',
    applicability: safe ? ('safe' as const) : ('unsafe' as const),
    edits: [{ start: target.startIndex, end: target.endIndex, text }],
  };
}

/** Attributes and methods of DataFrame and Series: `obj.<name>` is not a column. */
const FRAME_ATTRIBUTES = new Set([
  ...NOT_COLUMNS,
  ...INDEXERS,
  'array',
  'axes',
  'empty',
  'style',
  'plot',
  'sparse',
  'name',
  'nbytes',
  'hasnans',
  'is_unique',
  'is_monotonic_increasing',
  'is_monotonic_decreasing',
  'backfill',
  'bfill',
  'ffill',
  'sum',
  'mean',
  'median',
  'min',
  'max',
  'std',
  'var',
  'count',
  'apply',
  'map',
  'agg',
  'groupby',
  'rolling',
  'expanding',
  'resample',
  'head',
  'tail',
  'copy',
  'where',
  'mask',
  'query',
  'filter',
  'get',
  'pop',
  'keys',
  'items',
  'update',
  'abs',
  'round',
]);

/** pandas functions that return a DataFrame. */
const DATAFRAME_SOURCES = new Set([
  'pandas.DataFrame',
  'pandas.read_csv',
  'pandas.read_table',
  'pandas.read_parquet',
  'pandas.read_feather',
  'pandas.read_sql',
  'pandas.read_sql_query',
  'pandas.read_sql_table',
  'pandas.read_fwf',
  'pandas.read_orc',
  'pandas.read_stata',
  'pandas.read_sas',
  'pandas.read_spss',
  'pandas.merge',
  'pandas.get_dummies',
  'pandas.pivot_table',
  'pandas.json_normalize',
  'pandas.DataFrame.from_dict',
  'pandas.DataFrame.from_records',
]);

/** DataFrame methods whose result is again a DataFrame. */
const FRAME_PRESERVING = new Set([
  'copy',
  'dropna',
  'fillna',
  'reset_index',
  'assign',
  'query',
  'drop',
  'drop_duplicates',
  'rename',
  'sort_values',
  'sort_index',
  'merge',
  'join',
  'astype',
  'replace',
  'head',
  'tail',
  'sample',
  'set_index',
  'reindex',
  'infer_objects',
  'convert_dtypes',
  'select_dtypes',
  'bfill',
  'ffill',
  'interpolate',
  'clip',
  'round',
]);

/** True only when the object is known to be a DataFrame (not a Series, not unknown). */
function isDataFrame(node: SyntaxNode, model: SemanticModel, depth = 0): boolean {
  if (depth > 12) return false;
  switch (node.type) {
    case 'identifier': {
      const assigned = model.valueOf(node.text, node);
      return assigned !== undefined && assigned.index === undefined && isDataFrame(assigned.value, model, depth + 1);
    }
    case 'call': {
      const qualified = model.callee(node);
      if (qualified) return DATAFRAME_SOURCES.has(qualified);
      const method = model.method(node);
      return method !== undefined && FRAME_PRESERVING.has(method.name) && isDataFrame(method.receiver, model, depth + 1);
    }
    case 'subscript': {
      // `df[mask]` and `df[["a", "b"]]` are frames; `df["a"]` is a Series.
      const value = node.childForFieldName('value');
      const index = node.childForFieldName('subscript');
      if (!value || !index || node.childrenForFieldName('subscript').length !== 1) return false;
      return (isMask(index, model) || (index.type === 'list' && isLabel(index))) && isDataFrame(value, model, depth + 1);
    }
    case 'parenthesized_expression':
      return node.namedChild(0) !== null && isDataFrame(node.namedChild(0)!, model, depth + 1);
    default:
      return false;
  }
}

/** A column label: a string literal (not an f-string) or a list of them. */
function isLabel(node: SyntaxNode): boolean {
  if (node.type === 'string') return !/^[a-zA-Z]*[fF]/.test(node.firstChild?.text ?? '');
  if (node.type === 'list') return node.namedChildren.length > 0 && node.namedChildren.every((child) => child !== null && isLabel(child));
  return false;
}

/** An expression that evaluates to a boolean row mask. */
function isMask(node: SyntaxNode, model: SemanticModel, depth = 0): boolean {
  if (depth > 4) return false;
  switch (node.type) {
    case 'comparison_operator':
      return true;
    case 'parenthesized_expression':
      return node.namedChild(0) !== null && isMask(node.namedChild(0)!, model, depth + 1);
    case 'unary_operator':
      return node.child(0)?.type === '~';
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.type;
      return operator === '&' || operator === '|' || operator === '^';
    }
    case 'call': {
      const method = model.method(node);
      return method !== undefined && MASK_METHODS.has(method.name);
    }
    case 'identifier': {
      const assigned = model.valueOf(node.text, node);
      return assigned !== undefined && assigned.index === undefined && isMask(assigned.value, model, depth + 1);
    }
    default:
      return false;
  }
}

/** A mask built with a method only pandas objects have. */
function pandasMask(node: SyntaxNode, model: SemanticModel): boolean {
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return pandasMask(node.namedChild(0)!, model);
  if (node.type === 'unary_operator' && node.namedChild(0)) return pandasMask(node.namedChild(0)!, model);
  const method = node.type === 'call' ? model.method(node) : undefined;
  return method !== undefined && PANDAS_MASK_METHODS.has(method.name);
}

function mentions(node: SyntaxNode, name: string): boolean {
  if ((node.type === 'identifier' || node.type === 'attribute') && dottedText(node) === name) return true;
  for (const child of node.namedChildren) if (child && mentions(child, name)) return true;
  return false;
}

/**
 * `pd.read_excel(path, sheet_name=None)` (or a list of sheets) returns a dict of frames:
 * `sheets[name]["col"] = v` is a dict look-up, then a plain column write.
 */
function readsSheets(call: SyntaxNode): boolean {
  const sheet = keywordArgument(call, 'sheet_name') ?? positionalArguments(call)[1];
  return sheet?.type === 'none' || sheet?.type === 'list';
}

/** true: a pandas object; false: known not to be one (a NumPy array, a literal); undefined: not known. */
function isFrame(node: SyntaxNode, model: SemanticModel, depth = 0): boolean | undefined {
  if (depth > 12) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'attribute': {
      const name = dottedText(node);
      if (name === undefined) return undefined;
      const assigned = model.valueOf(name, node);
      if (assigned && assigned.index === undefined) return isFrame(assigned.value, model, depth + 1);
      if (node.type === 'attribute') {
        const attribute = node.childForFieldName('attribute')?.text ?? '';
        const object = node.childForFieldName('object');
        if (object && !NOT_COLUMNS.has(attribute)) {
          const parent = isFrame(object, model, depth + 1);
          if (parent) return true;
        }
      }
      return undefined;
    }
    case 'call': {
      const qualified = model.callee(node);
      if (qualified === 'pandas.read_excel' && readsSheets(node)) return false;
      if (qualified?.startsWith('pandas.')) return true;
      if (qualified?.startsWith('numpy.')) return false;
      const method = model.method(node);
      if (method) {
        if (NOT_FRAME_METHODS.has(method.name)) return false;
        return isFrame(method.receiver, model, depth + 1);
      }
      return undefined;
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      return value ? isFrame(value, model, depth + 1) : undefined;
    }
    case 'parenthesized_expression':
      return node.namedChild(0) ? isFrame(node.namedChild(0)!, model, depth + 1) : undefined;
    case 'dictionary':
    case 'list':
    case 'tuple':
    case 'set':
    case 'list_comprehension':
    case 'dictionary_comprehension':
    case 'string':
    case 'integer':
    case 'float':
      return false;
    default:
      return undefined;
  }
}
