/**
 * What the readiness assessment needs to know about one Python file or notebook, reduced
 * from the engine's parse, semantic model and rule findings. Names are qualified through the
 * file's imports (`import numpy as np; np.random.seed` → `numpy.random.seed`), so the
 * checks match libraries, never the spelling the user chose.
 *
 * Lines are 1-based. In a notebook, `cell` is the 0-based code-cell index and `line` counts
 * inside that cell, like the engine's findings.
 */
export interface Located {
  line: number;
  cell?: number;
}

export interface PythonFacts {
  /** Relative to the project root, `/`-separated. */
  path: string;
  kind: 'script' | 'notebook';
  /** Modules imported, fully qualified (`from sklearn import metrics` → `sklearn.metrics`). */
  imports: (Located & { module: string })[];
  /**
   * Calls. `name` is the qualified name when the callee resolves through an import
   * (`mlflow.log_metric`), else the dotted text as written (`client.transition_model_version_stage`).
   * `method` is the last segment. `keywords` are the keyword argument names; `strings` the
   * string-literal arguments; `falseKeywords` the keywords given a literal `False` (`shuffle=False`); `argNames` the plain names passed as arguments.
   */
  calls: (Located & { name: string; method: string; keywords: string[]; strings: string[]; falseKeywords?: string[]; argNames?: string[] })[];
  /** Class definitions with their bases, qualified like calls. */
  classes: (Located & { name: string; bases: string[] })[];
  /** Function definitions with their decorators (qualified like calls, with their string arguments). */
  functions: (Located & { name: string; decorators: { name: string; strings: string[] }[] })[];
  /** Names bound by assignment (`THRESHOLD = 0.7`, `self.fallback = ...` → `fallback`); `from` is the qualified callee when the value is a call (`auc = roc_auc_score(...)` → `sklearn.metrics.roc_auc_score`). */
  names: (Located & { name: string; from?: string })[];
  /** String literals (content without quotes), including docstrings. */
  strings: (Located & { value: string })[];
  /** Lines of `assert` and `raise` statements, and how many `try` statements the file has. */
  asserts: Located[];
  raises: Located[];
  tryCount: number;
  /**
   * What a condition does, judged by behaviour rather than names: every `if`, and every `assert`
   * whose test compares; `compares` when the test compares (`<`, `>=`, `==`, …). `names` are the identifiers, attribute names and string subscript
   * keys in the test (`metrics["auc"] < MIN_AUC` → metrics, auc, MIN_AUC); `calls` the callees in
   * the test; `number` whether it compares with a numeric literal; `none` whether with `None`; `operators` the comparison operators (`<`, `is`, `is not`, …); `then` what the guarded body does
   * (an `assert` fails by itself: `fail`).
   */
  checks: (Located & {
    kind: 'if' | 'assert';
    compares: boolean;
    names: string[];
    calls: string[];
    number: boolean;
    none: boolean;
    operators: string[];
    then: Effect[];
  })[];
  /**
   * Dictionary literals passed to calls (`json.dumps({"input": x, **result})`, `call` is the callee)
   * or bound to a name (`entry = {...}`, `call` is empty, `name` the target): the string keys, and
   * whether `**` spreads more in.
   */
  records: (Located & { call: string; name?: string; keys: string[]; spread: boolean })[];
  /** `try` statements: the callees and the identifiers inside the body, and what each `except` clause does. */
  tries: (Located & { calls: string[]; mentions: string[]; handlers: Effect[][] })[];
  /** The engine's rule findings. */
  findings: (Located & { rule: string; message: string })[];
  /** In a notebook, each code cell's number as VS Code shows it ("Cell 10"), by code-cell index. */
  cellNumbers?: number[];
  /** Set when the file could not be read or parsed; the other fields are then empty. */
  error?: string;
}

/**
 * What a block does: `fail` raises or exits (`raise`, `sys.exit`, `exit`, `os._exit`, `pytest.fail`),
 * `return` returns a value, `assign` binds a value, `log` calls a logger or print, `pass` does nothing.
 */
export type Effect = 'fail' | 'return' | 'assign' | 'log' | 'pass' | 'other';

/** Produces facts for one file; the engine-backed implementation lives in `engine-facts.ts`. */
export interface FactsProvider {
  facts(input: { absPath: string; relPath: string; kind: 'script' | 'notebook'; text: string }): Promise<PythonFacts> | PythonFacts;
  /** How many files the scan may ask about before the first is answered (1 when unset: one at a time). */
  readonly concurrency?: number;
  /** Told how many files the scan will ask about, before the first. */
  expect?(files: number): void;
  /** Rules the project's configuration turns off (their findings decide no item). */
  rulesOff?(): Set<string>;
}

export function emptyFacts(path: string, kind: 'script' | 'notebook', error?: string): PythonFacts {
  return {
    path,
    kind,
    imports: [],
    calls: [],
    classes: [],
    functions: [],
    names: [],
    strings: [],
    asserts: [],
    raises: [],
    tryCount: 0,
    checks: [],
    tries: [],
    records: [],
    findings: [],
    error,
  };
}
