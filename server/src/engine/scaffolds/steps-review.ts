import * as path from 'node:path';
import { createEngine, type Engine } from '../index';
import { DEFAULT_CONFIG, type MlreadyConfig } from '../config';
import { EditPlan, fixNotebookCells, fixScriptText } from '../fix-all';
import { applyEdits } from '../fixes';
import type { Analysis, Finding } from '../analyze';
import type { TextEdit } from '../rule';
import { commentLineFor, statementAt, suppressionEdit } from '../suppression';
import type { CellInput } from '../notebook';
import type { SyntaxNode } from '../parser';
import type { GeneratedFile } from './spec';
import { cleanCells, generateSteps, NotebookSourceError, type NotebookSource, type StepsParts } from './steps';
import { classifySecret, containsSecret, envNameFor, findSecrets, redact } from '../secrets';
import { boundName } from '../secret-literals';
import { stringValue } from '../literals';
import { findEstimator, findFeatureSteps, notebookFacts, type CarriedEstimator, type NotCarried, type NotebookFacts } from './notebook-model';

/**
 * Runs mlready's own rules over the steps `--from` carries over, so that `pipeline/steps.py`
 * holds to them like every other generated file:
 *
 * 1. the source's safe fixes are applied (seeds, timeouts, `yaml.safe_load`, ...), and
 *    hard-coded secrets are replaced by environment reads (never copied into generated code);
 * 2. hard-coded paths are lifted into `pipeline/config.py`: the data file becomes
 *    `config.DATA_PATH`, any other path a `PIPELINE_STEPS_*` environment variable whose default
 *    is the path the notebook used;
 * 3. what is left in the generated file is marked, not hidden: a `# mlready: <rule>: <message>`
 *    comment above the statement says what is wrong, and `# mlready: ignore[rule]` on the line
 *    records that the carried-over code was reviewed as it is.
 */

/** The name steps.py imports the pipeline's config under (a notebook may have its own `config`). */
export const CONFIG_ALIAS = 'pipeline_config';

export interface LiftedPath {
  /** Constant in pipeline/config.py. */
  name: string;
  /** Environment variable that overrides it. */
  env: string;
  /** The literal as the notebook wrote it (its default). */
  literal: string;
}

export interface ReviewedSteps {
  steps: GeneratedFile;
  /** The files of `%%writefile` cells (inside the output folder) and the README section. */
  files: GeneratedFile[];
  /** What was not carried over, with its (1-based) cell; its text redacted. */
  notCarried: NotCarried[];
  /** The notebook's model as carried into build_estimator(), e.g. `RandomForestClassifier with n_estimators=200`. */
  estimator?: string;
  /** How many feature statements features(frame) carries. */
  features: number;
  /** Paths lifted into pipeline/config.py. */
  paths: LiftedPath[];
  /** Fixes applied to the carried-over code. */
  fixed: number;
  /** Findings marked in steps.py, as `rule: message`. */
  marked: string[];
}

export interface StepsContext {
  /** The notebook or script, absolute: relative paths in it are relative to its folder. */
  fromFile: string;
  /** The data file the pipeline trains on, absolute. */
  dataFile?: string;
  seed?: number;
  engine?: Engine;
  /** The task the data makes (a classifier is not carried into a regression, nor the reverse). */
  task?: 'classification' | 'regression';
  /** The columns the pipeline feeds the model: feature steps may read only these (and what they create). */
  columns?: readonly string[];
  /** The target column: feature steps never use it. */
  target?: string;
}

export async function reviewSteps(source: NotebookSource, context: StepsContext): Promise<ReviewedSteps> {
  const engine = context.engine ?? (await createEngine());
  const config: MlreadyConfig = { ...DEFAULT_CONFIG, seed: context.seed ?? DEFAULT_CONFIG.seed };
  const isNotebook = source.name.endsWith('.ipynb') || source.cells.length > 1;

  // 1. Safe fixes, then environment reads instead of secrets.
  let cells: CellInput[] = source.cells.map((cell) => ({ ...cell }));
  let fixed = 0;
  if (isNotebook) {
    const outcome = fixNotebookCells(engine, source.name, cells, { config });
    cells = outcome.result;
    fixed += outcome.applied;
  } else {
    const outcome = fixScriptText(engine, source.name, cells[0]?.source ?? '', { config });
    cells = [{ ...cells[0], source: outcome.result, cellType: 'code' }];
    fixed += outcome.applied;
  }

  // 2. Secrets and paths: edits placed in the cells they concern.
  const analysis = engine.analyze(inputOf(source.name, cells, isNotebook), { config });
  // All of a fix's edits or none, placed in their cells (the fix engine's EditPlan).
  const plan = new EditPlan(analysis);
  const paths: LiftedPath[] = [];
  const addEdits = (list: readonly TextEdit[]): void => void plan.add(list);
  const taken = new Set<string>();
  for (const finding of analysis.findings) {
    if (finding.rule === 'hardcoded-secret' && finding.fix) {
      addEdits(finding.fix.edits);
      fixed++;
    } else if (finding.rule === 'hardcoded-path') {
      const literal = analysis.text.slice(finding.start, finding.end);
      const value = literalValue(literal);
      if (value === undefined) continue;
      if (context.dataFile && isDataFile(value, context)) {
        addEdits([{ start: finding.start, end: finding.end, text: `str(${CONFIG_ALIAS}.DATA_PATH)` }]);
      } else {
        let lifted = paths.find((p) => p.literal === literal);
        if (!lifted) {
          const base = envNameOf(finding) ?? 'PATH';
          let name = `STEPS_${base}`;
          for (let n = 2; taken.has(name); n++) name = `STEPS_${base}_${n}`;
          taken.add(name);
          lifted = { name, env: `PIPELINE_${name}`, literal };
          paths.push(lifted);
        }
        addEdits([{ start: finding.start, end: finding.end, text: `${CONFIG_ALIAS}.${lifted.name}` }]);
      }
      fixed++;
    }
  }
  // Relative paths to the data file are right only beside the notebook: use the config's.
  if (context.dataFile) {
    for (const literal of dataFileLiterals(analysis, context)) addEdits([{ ...literal, text: `str(${CONFIG_ALIAS}.DATA_PATH)` }]);
  }
  cells = plan.applyToCells(cells);

  // The notebook's top level becomes run_notebook_steps()'s body: its `global` statements follow.
  cells = rescopeGlobals(engine, source.name, cells, isNotebook, config);

  // 3. What the notebook did: its model, its feature steps, and the rest, carried over.
  const fixedAnalysis = engine.analyze(inputOf(source.name, cells, isNotebook), { config });
  if (fixedAnalysis.model.root.descendantsOfType(['print_statement', 'exec_statement']).length > 0) {
    throw new NotebookSourceError(
      'Python 2 code (a `print` or `exec` statement): mlready carries over Python 3 code only; convert it first (for example with `2to3 -w` on the exported script) and try again',
    );
  }
  const notCarried: NotCarried[] = [];
  const facts = notebookFacts(fixedAnalysis);
  const estimator = findEstimator(fixedAnalysis, context.task, CONFIG_ALIAS);
  if (estimator) notCarried.push(...estimator.notes);
  const featureSteps = context.columns ? findFeatureSteps(fixedAnalysis, { ...facts, target: context.target ?? facts.target }, context.columns) : undefined;
  if (featureSteps) notCarried.push(...featureSteps.notes);
  const importTexts = importStatementsByName(fixedAnalysis);
  const parts: StepsParts = {};
  if (estimator && 'call' in estimator) {
    const [module, name] = splitQualified(estimator.qualified);
    parts.estimator = {
      cell: estimator.cell,
      imports: [`from ${module} import ${name}`, ''],
      lines: [`return ${estimator.call}`],
      summary: `${name}${estimator.parameters.length ? ` with ${estimator.parameters.join(', ')}` : ' with its defaults'}`,
    };
  }
  if (featureSteps && featureSteps.statements.length > 0) {
    const imports = [...featureSteps.imports].map((name) => importTexts.get(name)).filter((text): text is string => text !== undefined);
    parts.features = {
      cells: [...new Set(featureSteps.statements.map((s) => s.cell))],
      frameName: featureSteps.frameName,
      imports: imports.length ? [...new Set(imports), ''] : [],
      statements: featureSteps.statements.map((s) => s.text),
    };
  }
  const clean = cleanCells(engine.parser, cells, (value, name) => classifySecret(value, name) !== undefined || containsSecret(value));
  notCarried.push(...clean.dropped);
  const usesConfig = cells.some((cell) => cell.source.includes(`${CONFIG_ALIAS}.`)) || parts.estimator?.lines.some((l) => l.includes(`${CONFIG_ALIAS}.`));
  parts.moduleImports = usesConfig ? [`from pipeline import config as ${CONFIG_ALIAS}`] : [];
  const generated = generateSteps({ name: source.name, cells }, clean, parts);

  // 4. The script's own safe fixes, no credential left anywhere, and what is left marked.
  const scriptFixed = fixScriptText(engine, generated.path, generated.content, { config });
  fixed += scriptFixed.applied;
  const scrubbed = scrubSecrets(engine, scriptFixed.result);
  for (const line of scrubbed.dropped)
    notCarried.push({ cell: 0, what: `line ${line} of pipeline/steps.py`, reason: 'it held a credential that could not be read from the environment' });
  const { text, marked } = markFindings(engine, generated.path, scrubbed.text, config);

  // %%writefile cells: their files, inside the output folder, held to the same rules when Python.
  const files: GeneratedFile[] = [];
  for (const file of clean.files) {
    if (file.path.endsWith('.py')) {
      const fixedFile = fixScriptText(engine, file.path, file.content, { config });
      const clear = scrubSecrets(engine, fixedFile.result);
      for (const line of clear.dropped)
        notCarried.push({ cell: file.cell, what: `line ${line} of ${file.path}`, reason: 'it held a credential that could not be read from the environment' });
      files.push({ path: file.path, content: markFindings(engine, file.path, clear.text, config).text });
    } else {
      const kept = file.content.split('\n').filter((line) => !containsSecret(line));
      if (kept.length !== file.content.split('\n').length)
        notCarried.push({ cell: file.cell, what: `lines of ${file.path}`, reason: 'they held a credential' });
      files.push({ path: file.path, content: kept.join('\n') });
    }
  }
  const environment = [...new Set([...clean.environment, ...environmentReads(text)])].sort();
  const readme = notebookReadme(source.name, { estimator, features: parts.features, files, environment, notCarried, dataPath: facts.dataPath });
  return {
    steps: { ...generated, content: text },
    files: [...files, readme],
    paths,
    fixed,
    marked,
    notCarried,
    estimator: parts.estimator?.summary,
    features: parts.features?.statements.length ?? 0,
  };
}

/** What the notebook did, read before any fix: its data path, seed and target column. */
export async function liftFacts(source: NotebookSource, engine?: Engine): Promise<NotebookFacts> {
  const used = engine ?? (await createEngine());
  const isNotebook = source.name.endsWith('.ipynb') || source.cells.length > 1;
  return notebookFacts(used.analyze(inputOf(source.name, source.cells, isNotebook)));
}

/**
 * The notebook's top-level names become locals of run_notebook_steps(): a function of the
 * notebook that declares one of them `global` now means `nonlocal`, and a top-level `global`
 * statement (a no-op in a notebook, an error inside a function after the name is assigned) goes.
 */
function rescopeGlobals(engine: Engine, name: string, cells: CellInput[], isNotebook: boolean, config: MlreadyConfig): CellInput[] {
  const analysis = engine.analyze(inputOf(name, cells, isNotebook), { config });
  const statements = analysis.model.root.descendantsOfType('global_statement');
  if (statements.length === 0) return cells;
  const topLevel = new Set(analysis.model.assignments.filter((a) => a.scope === -1).map((a) => a.name));
  const plan = new EditPlan(analysis);
  for (const statement of statements) {
    const inFunction = analysis.model.enclosingFunctionAt(statement.startIndex) !== undefined;
    const names = statement.namedChildren.filter((n) => n?.type === 'identifier').map((n) => n!.text);
    let edit: TextEdit | undefined;
    if (!inFunction) edit = { start: statement.startIndex, end: statement.endIndex, text: 'pass' };
    else if (names.length > 0 && names.every((n) => topLevel.has(n)))
      edit = { start: statement.startIndex, end: statement.startIndex + 'global'.length, text: 'nonlocal' };
    if (!edit) continue;
    plan.add([edit]);
  }
  return plan.applyToCells(cells);
}

function inputOf(name: string, cells: CellInput[], isNotebook: boolean) {
  return isNotebook ? { path: name, kind: 'notebook' as const, cells } : { path: name, kind: 'script' as const, text: cells[0]?.source ?? '' };
}

/** The value of a plain string literal; undefined for f-strings and bytes. */
export function literalValue(literal: string): string | undefined {
  const match = /^([rRuU]?)("""|'''|"|')([\s\S]*)\2$/.exec(literal);
  if (!match) return undefined;
  const raw = match[1]!.toLowerCase() === 'r';
  return raw ? match[3] : match[3]!.replace(/\\\\/g, '\\').replace(/\\(["'])/g, '$1');
}

function isDataFile(value: string, context: StepsContext): boolean {
  const dataFile = context.dataFile!;
  const windows = /^[A-Za-z]:[\\/]|^\\\\/.test(value);
  if (windows || path.isAbsolute(value) || value.startsWith('~')) {
    // The notebook's author had the same file somewhere else: same name, same folder name.
    const parts = value.split(/[\\/]+/).filter(Boolean);
    const own = dataFile.split(path.sep).filter(Boolean);
    return parts.at(-1) === own.at(-1) && (parts.length < 2 || own.length < 2 || parts.at(-2) === own.at(-2));
  }
  return path.resolve(path.dirname(context.fromFile), value) === path.resolve(dataFile);
}

/** The environment variable name the hardcoded-path fix suggests (`DF_PATH`), if any. */
function envNameOf(finding: Finding): string | undefined {
  for (const edit of finding.fix?.edits ?? []) {
    const match = /environ\.get\("([A-Z][A-Z0-9_]*)"/.exec(edit.text);
    if (match) return match[1]!.replace(/^MLREADY_/, '');
  }
  return undefined;
}

/** Relative string literals that name the data file from the notebook's folder. */
function dataFileLiterals(analysis: Analysis, context: StepsContext): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  const pattern = /(?<![\w"'])[rR]?(["'])((?:(?!\1)[^\\\n])+)\1/g;
  for (const match of analysis.text.matchAll(pattern)) {
    const value = match[2]!;
    if (path.isAbsolute(value) || !value.includes(path.basename(context.dataFile!))) continue;
    if (!isDataFile(value, context)) continue;
    // Not inside a comment: no `#` before it on its line (a cheap check).
    const lineStart = analysis.text.lastIndexOf('\n', match.index! - 1) + 1;
    if (analysis.text.slice(lineStart, match.index!).includes('#')) continue;
    found.push({ start: match.index!, end: match.index! + match[0].length });
  }
  return found;
}

/**
 * Marks every finding left in the generated text: the reason above its statement and a line
 * suppression where the engine reads one for that finding (the engine's own suppression edit,
 * as `--add-noqa` writes it). A finding outside any statement is suppressed file-wide, with its
 * reason in the header.
 */
export function markFindings(engine: Engine, file: string, text: string, config: MlreadyConfig): { text: string; marked: string[] } {
  const analysis = engine.analyze({ path: file, kind: 'script', text }, { config });
  if (analysis.findings.length === 0) return { text, marked: [] };
  const { lines, model } = analysis;
  const reasons = new Map<number, string[]>();
  const suppress = new Map<number, Set<string>>();
  const fileWide: Finding[] = [];
  const marked: string[] = [];
  for (const finding of analysis.findings) {
    // Never a suppression on a secret: scrubSecrets removed every one before this runs.
    if (finding.rule === 'hardcoded-secret') continue;
    const message = finding.message.replace(/\s+/g, ' ').trim();
    const statement = statementAt(model.root, finding.start);
    if (!statement) {
      fileWide.push(finding);
      continue;
    }
    const statementLine = lines.position(statement.startIndex).line;
    const reason = `# mlready: ${finding.rule}: ${message}`;
    const list = reasons.get(statementLine) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(statementLine, list);
    const line = commentLineFor(model.root, lines, finding.start);
    suppress.set(line, (suppress.get(line) ?? new Set()).add(finding.rule));
  }
  const edits: TextEdit[] = [];
  // Messages that point at another line ("on line 43") point at it after the insertions.
  const shift = (line: number): number => {
    let added = 0;
    for (const [at, list] of reasons) if (at <= line - 1) added += list.length;
    return line + added;
  };
  for (const [line, list] of reasons) {
    reasons.set(
      line,
      list.map((reason) => reason.replace(/\bline (\d+)\b/g, (_, n: string) => `line ${shift(Number(n))}`)),
    );
  }
  for (const line of [...reasons.keys()].sort((a, b) => a - b)) marked.push(...reasons.get(line)!.map((reason) => reason.replace(/^# mlready: /, '')));
  for (const finding of fileWide) marked.push(`${finding.rule}: ${finding.message.replace(/\s+/g, ' ').trim()}`);
  for (const [line, list] of reasons) {
    const start = lines.lineStart(line);
    const indentation = /^[ \t]*/.exec(lines.lineText(line))![0];
    edits.push({ start, end: start, text: list.map((reason) => `${indentation}${reason}\n`).join('') });
  }
  for (const [line, rules] of suppress) edits.push(suppressionEdit(lines, model.comments, line, [...rules]));
  let result = applyEdits(text, edits);
  if (fileWide.length > 0) {
    const rules = [...new Set(fileWide.map((f) => f.rule))];
    const header = [
      `# mlready: ignore-file[${rules.join(', ')}]`,
      ...fileWide.map((f) => `# mlready: ${f.rule} (line ${f.range.start.line + 1} of the carried-over code): ${f.message.replace(/\s+/g, ' ').trim()}`),
    ].join('\n');
    result = insertAfterDocstring(result, header);
  }
  return { text: result, marked };
}

function insertAfterDocstring(text: string, block: string): string {
  const docstring = /^"""[\s\S]*?"""\n/.exec(text);
  const at = docstring ? docstring[0].length : 0;
  return `${text.slice(0, at)}\n${block}\n${text.slice(at)}`;
}

/** `import numpy as np` for `np`: the notebook's import statement that binds each name, reduced to that name. */
function importStatementsByName(analysis: Analysis): Map<string, string> {
  const byName = new Map<string, string>();
  for (const binding of analysis.model.imports) {
    const qualified = binding.qualified;
    const dot = qualified.lastIndexOf('.');
    const statement =
      binding.node.type === 'import_from_statement' && dot > 0
        ? `from ${qualified.slice(0, dot)} import ${qualified.slice(dot + 1)}${qualified.slice(dot + 1) === binding.local ? '' : ` as ${binding.local}`}`
        : qualified === binding.local || qualified.startsWith(`${binding.local}.`)
          ? `import ${qualified.split('.')[0] === binding.local ? binding.local : qualified}`
          : `import ${qualified} as ${binding.local}`;
    byName.set(binding.local, statement);
  }
  return byName;
}

function splitQualified(qualified: string): [string, string] {
  const dot = qualified.lastIndexOf('.');
  return [qualified.slice(0, dot), qualified.slice(dot + 1)];
}

/**
 * No credential in generated code: a string literal that is (or holds) one becomes an
 * environment read, named after what it is bound to or after its kind; a comment that holds one
 * is removed; anything else that still holds one (it cannot be read from the environment) is
 * dropped, line by line, and its line numbers returned.
 */
export function scrubSecrets(engine: Engine, text: string): { text: string; dropped: number[] } {
  const tree = engine.parser.parseSyntax(text);
  const edits: TextEdit[] = [];
  let needsOs = false;
  const visit = (node: SyntaxNode): void => {
    if (node.type === 'comment') {
      if (containsSecret(node.text)) {
        const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
        const before = text.slice(lineStart, node.startIndex);
        const start = before.trim() === '' ? lineStart : node.startIndex - (before.length - before.trimEnd().length);
        const end = before.trim() === '' && text[node.endIndex] === '\n' ? node.endIndex + 1 : node.endIndex;
        edits.push({ start, end, text: '' });
      }
      return;
    }
    if (node.type === 'string' || node.type === 'concatenated_string') {
      const value = stringValue(node);
      const named = boundName(node)?.name;
      const verdict = (value !== undefined ? classifySecret(value, named) : undefined) ?? findSecrets(node.text)[0];
      if (verdict) {
        if (node.parent?.type === 'expression_statement') edits.push({ start: node.startIndex, end: node.endIndex, text: '""' });
        else {
          edits.push({ start: node.startIndex, end: node.endIndex, text: `os.environ[${JSON.stringify(envNameFor(named) ?? verdict.env)}]` });
          needsOs = true;
        }
      }
      return;
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  let result = applyEdits(text, edits);
  if (needsOs && !/^import os$/m.test(result)) result = insertAfterDocstring(result, 'import os').replace(/\nimport os\n\n(?=\S)/, '\nimport os\n');
  // Anything left (a credential outside a literal or a comment, or one only the rule sees): drop the line.
  const dropped: number[] = [];
  const flagged = new Set(
    engine
      .analyze({ path: 'steps.py', kind: 'script', text: result })
      .findings.filter((f) => f.rule === 'hardcoded-secret')
      .flatMap((f) => Array.from({ length: f.range.end.line - f.range.start.line + 1 }, (_, k) => f.range.start.line + k)),
  );
  if (flagged.size > 0 || containsSecret(result)) {
    const lines = result.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!flagged.has(i) && !containsSecret(lines[i]!)) continue;
      dropped.push(i + 1);
      const indentation = /^\s*/.exec(lines[i]!)![0];
      lines[i] = indentation ? `${indentation}pass` : '';
    }
    result = lines.join('\n');
  }
  return { text: result, dropped };
}

/** The environment variables generated code reads (`os.environ["NAME"]`, `os.environ.get("NAME")`, `os.getenv("NAME")`). */
function environmentReads(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/os\.(?:environ\[|environ\.get\(|getenv\()"([A-Z_][A-Z0-9_]*)"/g)) {
    const after = text.slice(match.index! + match[0].length, match.index! + match[0].length + 6);
    if (/^\]\s*=[^=]/.test(after)) continue; // an assignment, not a read
    if (!match[1]!.startsWith('PIPELINE_')) names.add(match[1]!);
  }
  return [...names];
}

/** The README section that says what `--from` carried over and what it did not, cell by cell (redacted). */
function notebookReadme(
  name: string,
  facts: {
    estimator: CarriedEstimator | { notes: NotCarried[] } | undefined;
    features: StepsParts['features'];
    files: GeneratedFile[];
    environment: string[];
    notCarried: NotCarried[];
    dataPath?: string;
  },
): GeneratedFile {
  const cell = (n: number) => (n > 0 ? String(n) : '—');
  const escapeCell = (text: string) => redact(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [`## From ${escapeCell(name)}`, '', `\`pipeline/steps.py\` carries over the work of \`${escapeCell(name)}\`:`, ''];
  const estimator = facts.estimator && 'call' in facts.estimator ? facts.estimator : undefined;
  lines.push(
    estimator
      ? `- **Model**: \`${escapeCell(estimator.call)}\` (Cell ${estimator.cell}), returned by \`build_estimator()\`; \`pipeline/train.py\` fits it after the generated preprocessing.`
      : '- **Model**: no scikit-learn, XGBoost, LightGBM or CatBoost estimator fitted in the notebook was found; `pipeline/train.py` uses its default model.',
  );
  if (facts.features)
    lines.push(
      `- **Feature steps**: ${facts.features.statements.length} statement(s) from cell(s) ${facts.features.cells.join(', ')}, in \`features(frame)\`; the saved model applies them to training rows and API requests alike.`,
    );
  if (facts.dataPath !== undefined)
    lines.push(
      `- **Data**: the notebook read \`${escapeCell(facts.dataPath)}\`; the pipeline reads \`pipeline/config.py\`'s \`DATA_PATH\` (\`PIPELINE_DATA_PATH\`).`,
    );
  if (facts.environment.length)
    lines.push(
      `- **Environment**: set ${facts.environment.map((e) => `\`${e}\``).join(', ')} before running the steps (credentials are read from the environment, never written in code).`,
    );
  const written = facts.files.filter((f) => f.path !== 'README.md');
  if (written.length) lines.push(`- **Files** written by \`%%writefile\` cells: ${written.map((f) => `\`${escapeCell(f.path)}\``).join(', ')}.`);
  lines.push('- The rest of its code runs in `run_notebook_steps()` (`python -m pipeline.steps`).', '');
  if (facts.notCarried.length) {
    lines.push('### Not carried over', '', '| Cell | What | Why |', '| --- | --- | --- |');
    const sorted = [...facts.notCarried].sort((a, b) => a.cell - b.cell);
    for (const item of sorted) lines.push(`| ${cell(item.cell)} | ${escapeCell(item.what)} | ${escapeCell(item.reason)} |`);
    lines.push('');
  }
  return { path: 'README.md', mode: 'section', section: 'notebook', content: lines.join('\n') };
}
