import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConfigLoader,
  RULES,
  RULE_NAMES,
  ruleUrl,
  realRoot,
  escapeControl,
  summarizeSkipped,
  type ConfigIssue,
  type ConfigOverrides,
  type Finding,
} from '../engine/index';
import { walkWorkspace } from '../engine/index';
import { UsageError, parseCommandLine, checkFormat, type CliIo, type CommandContext } from './io';
import { VERSION } from '../version';
import { checkInPool } from './pool';
import { FILE_BUDGET_MS } from './file-budget';
import { writeReportFile } from './write';
import { formatText, formatJson, formatSarif, formatGithub, formatMarkdown, type CheckedFile } from './check-format';

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export const CHECK_HELP = `Usage: mlready check [PATHS...] [options]

Checks Python files and Jupyter notebooks (default: the current folder), honouring .gitignore
and the exclude globs of [tool.mlready] in pyproject.toml.

Options:
  --format FORMAT     text (default), json, sarif, github, markdown
  --fix               apply safe fixes in place
  --add-noqa          add a \`# mlready: ignore[rule]\` directive on the line of every finding
  --select RULES      comma-separated rules or categories to run (overrides config)
  --ignore RULES      comma-separated rules or categories to skip (overrides config)
  --output FILE       write the report to FILE instead of standard output
  --no-color          plain text even on a terminal
  --exit-zero         exit 0 even when there are findings (demos, reports)
  -h, --help          show this help

Exit codes: 0 no findings, 1 findings or unreadable files, 2 usage or configuration error.
`;

function list(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const categories = new Set(RULES.map((rule) => rule.category));
  for (const item of items) {
    if (item !== 'ALL' && !RULE_NAMES.has(item) && !categories.has(item as never)) {
      throw new UsageError(`${flag}: unknown rule or category "${item}" (run \`mlready rules\` for the list)`);
    }
  }
  return items;
}

export async function run(argv: string[], io: CliIo, context: CommandContext = {}): Promise<number> {
  const parsed = parseCommandLine(argv, {
    format: { type: 'string', default: 'text' },
    fix: { type: 'boolean', default: false },
    'add-noqa': { type: 'boolean', default: false },
    select: { type: 'string' },
    ignore: { type: 'string' },
    output: { type: 'string' },
    'no-color': { type: 'boolean', default: false },
    'exit-zero': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  const format = checkFormat(values.format, FORMATS);
  if (values.fix && values['add-noqa']) throw new UsageError('--fix and --add-noqa cannot be used together: fix first, then add directives for what is left');
  const rewrite = values.fix ? 'fix' : values['add-noqa'] ? 'add-noqa' : false;
  const overrides: ConfigOverrides = { select: list(values.select, '--select'), ignore: list(values.ignore, '--ignore') };

  const targets = positionals.length > 0 ? positionals : ['.'];
  const loader = new ConfigLoader();
  const configIssues = new Map<string, ConfigIssue>();
  const files: { absolute: string; shown: string; root: string }[] = [];
  const walkErrors: CheckedFile[] = [];
  for (const target of targets) {
    const absolute = path.resolve(io.cwd, target);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new UsageError(`${target}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      const { config, issues } = loader.forDirectory(absolute);
      for (const issue of issues) configIssues.set(`${issue.file}:${issue.key}`, issue);
      const walked = walkWorkspace(absolute, { exclude: config.exclude });
      const root = realRoot(absolute);
      for (const file of walked.files) files.push({ absolute: file, shown: display(io.cwd, file), root });
      for (const error of walked.errors) walkErrors.push({ path: display(io.cwd, error.path), kind: 'script', error: error.error, findings: [] });
      for (const skipped of summarizeSkipped(walked.skipped)) io.err(`warning: ${escapeControl(display(io.cwd, skipped.path))}: ${skipped.reason}\n`);
    } else {
      // A file named on the command line: its own folder is the root a fix may write in.
      files.push({ absolute, shown: display(io.cwd, absolute), root: realRoot(path.dirname(absolute)) });
    }
  }

  const showProgress = io.isTTY && format === 'text' && values.output === undefined && process.stderr.isTTY === true && files.length > 20;
  const results = await checkInPool(files, {
    overrides,
    fix: rewrite,
    budgetMs: FILE_BUDGET_MS,
    prestarted: context.prestarted,
    onProgress: showProgress ? (done, total) => io.err(`\rChecking ${done}/${total} files…`) : undefined,
  });
  if (showProgress) io.err('\r\x1b[K');
  const checked: CheckedFile[] = [...walkErrors];
  let fixed = 0;
  for (const result of results) {
    checked.push(result.file);
    fixed += result.fixed;
    for (const issue of result.configIssues) configIssues.set(`${issue.file}:${issue.key}`, issue);
  }

  checked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const color = format === 'text' && io.isTTY && !values['no-color'] && !process.env.NO_COLOR && values.output === undefined;
  const report = render(format, checked, color, fixed, rewrite === 'fix');
  if (rewrite === 'add-noqa') io.err(`Added ${fixed} suppression ${fixed === 1 ? 'directive' : 'directives'}.\n`);
  if (values.output)
    writeReportFile(
      io.cwd,
      values.output,
      report,
      files.map((file) => file.absolute),
    );
  else io.out(report);

  for (const issue of configIssues.values()) {
    const where = issue.file ? `${display(io.cwd, issue.file)}${issue.line !== undefined ? `:${issue.line + 1}` : ''}: ` : '';
    io.err(`error: ${where}${issue.message}\n`);
  }
  if (configIssues.size > 0) return 2;
  const anyFindings = checked.some((file) => file.findings.length > 0 || file.error !== undefined);
  return anyFindings && !values['exit-zero'] ? 1 : 0;
}

function render(format: Format, files: CheckedFile[], color: boolean, fixed: number, fixing: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(files, VERSION);
    case 'sarif':
      return formatSarif(files, VERSION, RULES, ruleUrl);
    case 'github':
      return formatGithub(files);
    case 'markdown':
      return formatMarkdown(files);
    default:
      return formatText(files, { color, fixed: fixing ? fixed : undefined });
  }
}

function display(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return (relative && !relative.startsWith('..') ? relative : file).split(path.sep).join('/');
}

export type { Finding };
