/** Helpers for writing Python source text from TypeScript. */

const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'match',
  'case',
  'type',
]);

/** A Python string literal (JSON's escapes are all valid Python escapes). */
export function pyStr(value: string): string {
  return JSON.stringify(value);
}

/** A Python numeric literal; integers stay integers, floats keep a decimal point. */
export function pyNum(value: number, kind: 'int' | 'float' = Number.isInteger(value) ? 'int' : 'float'): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
  if (kind === 'int') return String(Math.round(value));
  const text = String(Number(value.toPrecision(12)));
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** A Python literal for JSON-like data (dicts, lists, strings, numbers, booleans, None). */
export function pyLiteral(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 4);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNum(value);
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => pyLiteral(v, indent + 4));
    const oneLine = `[${items.join(', ')}]`;
    if (oneLine.length + indent <= 88 && !oneLine.includes('\n')) return oneLine;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${pad}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, v]) => `${pyStr(k)}: ${pyLiteral(v, indent + 4)}`);
    const oneLine = `{${items.join(', ')}}`;
    if (oneLine.length + indent <= 88 && !oneLine.includes('\n')) return oneLine;
    return `{\n${items.map((i) => `${inner}${i},`).join('\n')}\n${pad}}`;
  }
  throw new Error(`cannot write ${typeof value} as a Python literal`);
}

/**
 * Names a contract field must not take: attributes of pydantic's BaseModel (1 and 2: a field
 * named `json` or `schema` shadows a method and breaks the model at import), Python built-ins
 * and the names the generated contract module uses (a field named `float` or `date` would
 * shadow the type in the annotations after it).
 */
const RESERVED = new Set([
  // pydantic 1 BaseModel
  'dict',
  'json',
  'copy',
  'parse_obj',
  'parse_raw',
  'parse_file',
  'from_orm',
  'construct',
  'schema',
  'schema_json',
  'validate',
  'update_forward_refs',
  'fields',
  'config',
  'fields_set',
  // Python built-ins and typing names
  'abs',
  'all',
  'any',
  'bin',
  'bool',
  'bytes',
  'callable',
  'chr',
  'complex',
  'dir',
  'divmod',
  'enumerate',
  'filter',
  'float',
  'format',
  'frozenset',
  'getattr',
  'hash',
  'help',
  'hex',
  'id',
  'input',
  'int',
  'isinstance',
  'iter',
  'len',
  'list',
  'map',
  'max',
  'min',
  'next',
  'object',
  'oct',
  'open',
  'ord',
  'pow',
  'print',
  'property',
  'range',
  'repr',
  'reversed',
  'round',
  'set',
  'slice',
  'sorted',
  'str',
  'sum',
  'super',
  'tuple',
  'vars',
  'zip',
  // names the contract module uses
  'any_',
  'date',
  'datetime',
  'dt',
  'optional',
  'literal',
  'field',
  'list',
  'base',
  'before',
  'strict_integer',
  'strict_number',
  'strict_date',
  'strictbool',
  'strictstr',
  'basemodel',
]);

/** Turns column names into distinct, valid, snake_case Python identifiers. */
export function pyIdentifiers(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let id = name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/_+/g, '_');
    if (id === '') id = 'column';
    if (/^\d/.test(id)) id = `f_${id}`;
    if (KEYWORDS.has(id) || KEYWORDS.has(id[0]!.toUpperCase() + id.slice(1)) || RESERVED.has(id)) id = `${id}_`;
    if (id.startsWith('model_') || id.startsWith('check_')) id = `f_${id}`; // pydantic 2's protected namespace; the contract's checks
    let unique = id;
    for (let n = 2; seen.has(unique); n++) unique = `${id}_${n}`;
    seen.add(unique);
    return unique;
  });
}

/** Strips the common leading indentation and the first newline of a template. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut))
    .join('\n')
    .replace(/[ \t]+$/gm, '');
}

/** Indents every non-empty line of `text` by `n` spaces. */
export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l))
    .join('\n');
}
