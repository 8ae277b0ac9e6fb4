import { renderSarifLog, type SarifResult, type SarifRule } from '../sarif';
import { CATEGORIES, ITEMS } from './items/index';
import { BANDS, SCORING_RULES } from './score';
import { escapeControl } from '../secrets';
import type { Evidence, ItemAction, ItemStatus, ReadinessItem, ReadinessReport } from './types';

/** Renderers of the report (text for a terminal, Markdown for a pull request, SARIF, JSON) and of the checklist's documentation. */

export const DOCS_URL = 'https://github.com/mlready/mlready/blob/main/docs/readiness.md';

const ICONS: Record<ItemStatus, string> = { pass: '✓', partial: '◐', fail: '✗', attested: '✎', 'not-applicable': '–' };
const LABELS: Record<ItemStatus, string> = { pass: 'pass', partial: 'partial', fail: 'open', attested: 'attested', 'not-applicable': 'n/a' };
const COLOURS: Record<ItemStatus, number> = { pass: 32, partial: 33, fail: 31, attested: 36, 'not-applicable': 90 };

/** `path:line`; in a notebook `path, Cell N, line L` with N as VS Code shows it (markdown cells counted). */
function where(evidence: Evidence): string {
  if (evidence.cell === undefined) return `${escapeControl(evidence.path)}:${evidence.line}`;
  const cell = evidence.cellNumber !== undefined ? `Cell ${evidence.cellNumber}` : `code cell ${evidence.cell + 1}`;
  return `${escapeControl(evidence.path)}, ${cell}, line ${evidence.line}`;
}

/** How to act on an item from a terminal: the CLI equivalent of the editor command. */
export function actionText(action: ItemAction): string {
  const parts = [action.title];
  const scaffold = action.command?.match(/^mlready\.scaffold\.([\w-]+)$/);
  if (scaffold) parts.push(`run \`mlready scaffold ${scaffold[1]}\``);
  if (action.rule) parts.push(`see \`mlready rule ${action.rule}\``);
  if (action.url) parts.push(action.url);
  return parts.join('; ');
}

function bar(score: number, width = 20): string {
  const filled = Math.round((score / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function renderText(report: ReadinessReport, options: { color?: boolean; verbose?: boolean } = {}): string {
  const paint = (code: number, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string): string => paint(1, text);
  const dim = (text: string): string => paint(2, text);
  const out: string[] = [];
  out.push(`${bold(`Production readiness: ${report.score}/100`)}  ${bold(report.band)}`);
  out.push(dim(report.bandDescription));
  out.push('');
  for (const category of report.categories) {
    const score = category.score === null ? 'n/a' : `${category.score}%`;
    out.push(`${bold(category.title.padEnd(34))} ${score.padStart(4)}  ${category.score === null ? '' : bar(category.score)}`);
    for (const item of category.items) {
      out.push(`  ${paint(COLOURS[item.status], `${ICONS[item.status]} ${LABELS[item.status].padEnd(8)}`)} ${item.title} ${dim(`(${item.id})`)}`);
      const open = item.status === 'fail' || item.status === 'partial';
      if (open || options.verbose || item.status === 'attested') out.push(`      ${item.summary}`);
      const shown = open || options.verbose ? item.evidence.slice(0, options.verbose ? 8 : 3) : item.evidence.slice(0, 1);
      if (item.status !== 'not-applicable' || options.verbose)
        for (const evidence of shown) out.push(`      ${dim(where(evidence))}  ${escapeControl(evidence.note)}`);
      if (item.action && open) out.push(`      ${paint(COLOURS[item.status], '→')} ${actionText(item.action)}`);
    }
    out.push('');
  }
  if (report.problems.length > 0) {
    out.push(bold('Files that could not be read'));
    for (const problem of report.problems.slice(0, 10))
      out.push(`  ${escapeControl(problem.path)}${problem.line ? `:${problem.line}` : ''}  ${escapeControl(problem.message)}`);
    if (report.problems.length > 10) out.push(`  … and ${report.problems.length - 10} more`);
    out.push('');
  }
  out.push(bold('How the score was computed'));
  for (const line of report.scoring) out.push(wrap(line, 96, '  '));
  out.push(dim(`  ${scanSummary(report.stats)}`));
  return out.join('\n') + '\n';
}

/** What the scan read, and what it left out: the verdicts hold for those files only. */
export function scanSummary(stats: ReadinessReport['stats']): string {
  const parts = [`Scanned ${stats.filesScanned} files (${stats.pythonFiles} Python, ${stats.notebooks} notebooks analysed)`];
  if (stats.truncated)
    parts.push(
      `the scan stopped at its limit of ${stats.filesScanned.toLocaleString('en-US')} files, so the files after them were not scanned and their evidence is not in the verdicts`,
    );
  if (stats.pythonNotAnalysed > 0)
    parts.push(
      `${stats.pythonNotAnalysed} more Python ${stats.pythonNotAnalysed === 1 ? 'file or notebook was' : 'files and notebooks were'} listed but not analysed (the scan's limit), so their evidence is not in the verdicts`,
    );
  return `${parts.join('; ')}.`;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown for a pull-request comment: score, a table of categories, the open items first, the rest folded. */
export function renderMarkdown(report: ReadinessReport): string {
  const out: string[] = [];
  out.push(`## Production readiness: ${report.score}/100 (${report.band})`, '', `> ${report.bandDescription}`, '');
  out.push('| Category | Score | Open items |', '|---|---:|---:|');
  for (const category of report.categories) {
    const open = category.items.filter((item) => item.status === 'fail' || item.status === 'partial').length;
    out.push(`| ${category.title} | ${category.score === null ? 'n/a' : `${category.score}%`} | ${open} |`);
  }
  const open = report.categories.flatMap((category) =>
    category.items.filter((item) => item.status === 'fail' || item.status === 'partial').map((item) => ({ category, item })),
  );
  if (open.length > 0) {
    out.push('', '### Open items', '', '| | Item | Why it is open | Next step |', '|---|---|---|---|');
    for (const { item } of open) {
      const evidence = item.evidence[0] ? ` (\`${where(item.evidence[0])}\`)` : '';
      out.push(
        `| ${ICONS[item.status]} | **${mdEscape(item.title)}**<br>\`${item.id}\` | ${mdEscape(item.summary)}${mdEscape(evidence)} | ${item.action ? mdEscape(actionText(item.action)) : ''} |`,
      );
    }
  }
  const done = report.categories.flatMap((category) =>
    category.items.filter((item) => item.status === 'pass' || item.status === 'attested' || item.status === 'not-applicable'),
  );
  if (done.length > 0) {
    out.push('', `<details><summary>${done.length} items passed, attested or not applicable</summary>`, '', '| | Item | Evidence |', '|---|---|---|');
    for (const item of done) {
      const evidence = item.evidence[0] ? `\`${where(item.evidence[0])}\` ${escapeControl(item.evidence[0].note)}` : item.summary;
      out.push(`| ${ICONS[item.status]} | ${mdEscape(item.title)} | ${mdEscape(evidence)} |`);
    }
    out.push('', '</details>');
  }
  out.push('', `<sub>${mdEscape(scanSummary(report.stats))}</sub>`);
  out.push('', '<details><summary>How the score was computed</summary>', '', ...report.scoring.map((line) => `- ${line}`), '', '</details>', '');
  return out.join('\n');
}

export function renderJson(report: ReadinessReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** SARIF 2.1.0: one rule per checklist item, one result per open item, at its first evidence (or the project root). */
export function renderSarif(report: ReadinessReport, version = '0.0.0'): string {
  const rules: SarifRule[] = ITEMS.map((item) => ({
    id: item.id,
    name: item.title
      .replace(/[^A-Za-z0-9]+/g, ' ')
      .trim()
      .replace(/ (\w)/g, (_, c: string) => c.toUpperCase())
      .replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: item.title,
    fullDescription: item.why,
    helpUri: `${DOCS_URL}#${item.id}`,
    helpText: `${item.detection}\n\nTo close it: ${item.action.title}.`,
  }));
  const results: SarifResult[] = report.categories.flatMap((category) =>
    category.items
      .filter((item): item is ReadinessItem => item.status === 'fail' || item.status === 'partial')
      .map((item) => {
        const evidence = item.evidence[0];
        return {
          ruleId: item.id,
          level: item.status === 'fail' ? 'warning' : 'note',
          message: `${item.title}: ${item.summary}${item.action ? ` ${item.action.title}.` : ''}`,
          path: evidence ? evidence.path : '.',
          region: evidence ? { startLine: evidence.line } : undefined,
          properties: { category: category.id, status: item.status },
        };
      }),
  );
  return renderSarifLog({
    toolName: 'mlready-readiness',
    version,
    informationUri: DOCS_URL,
    rules,
    results,
    properties: { score: report.score, band: report.band },
  });
}

/** docs/readiness.md, generated from the items' own metadata so the page cannot drift from the checks. */
/**
 * docs/readiness.md. `benchmark` is the hand-written report of how the checklist does on real
 * projects (docs/readiness-benchmark/README.md), placed after the items; `npm run docs` passes it.
 */
export function renderChecklistDoc(benchmark?: string): string {
  const out: string[] = [];
  out.push('# Production readiness checklist', '');
  out.push('<!-- Generated from server/src/engine/readiness (renderChecklistDoc). Do not edit by hand: run `npm run docs`. -->', '');
  out.push(
    "`mlready readiness [DIR]` and the editor's Production Readiness view scan a project and answer the question a reviewer asks before anything ships: what is still a demo here? Each item below has a stable id, a status (`pass`, `partial`, `fail`, `attested`, `not-applicable`), the evidence (files and lines) behind it, and the action that closes it.",
    '',
    "Detection reads file presence, file contents (TOML, YAML and JSON through real parsers; requirement lines through a pip requirements parser), the imports and calls the engine's semantic model resolves in Python files and notebooks (`import mlflow as m; m.log_metric` counts as `mlflow.log_metric`), what the code does (a metric compared with a threshold that fails the run, a model call whose failure is answered, a record holding the input and the answer), what CI runs (followed through make, just, mise, task runners, `poetry run`/`uv run`, shell scripts and platform job specs), and the findings of mlready's rules. The scan honours `.gitignore` and skips `node_modules`, `.git` and virtual environments.",
    '',
    'Not applicable is earned by what the code shows: a service around a model trained elsewhere has no training to track, a chat application that calls a hosted model has no model to register, and the AI application items apply only where application code calls an LLM. A project without any Python code or notebook earns none of it: its code items fail, so a README alone cannot outscore a project with code.',
    '',
    "Each file is analysed with the project's configuration (`select`, `ignore`, `per-file-ignores` in `[tool.mlready]`), as `mlready check` does: the findings of a rule the project turns off decide nothing, and the item says so.",
    '',
    "How much is read: `mlready readiness` lists up to 100,000 files and analyses up to 15,000 Python files and notebooks (every one, in a real repository; the bound keeps a crafted tree within a CI runner's memory). `mlready readiness` analyses the Python files on worker threads, as `mlready check` does: one per core, and one for every 20 files in a small project, each file within check's time budget (20 s, `MLREADY_FILE_BUDGET_MS`). The editor's view scans in a process of its own, at a lower priority, on up to two threads, in the background while you type (it waits between files while you are typing); it lists up to 20,000 files and analyses the first 5,000 Python files and notebooks in listing order (files are listed folder by folder, in name order). After a save it analyses again only the Python files and notebooks whose text or configuration changed. The scan's process stops at 1 GB of heap (`MLREADY_READINESS_HEAP_MB` in the server's environment sets another): a project that needs more gets no report in the editor but a message that says so, and the language server goes on serving; `mlready readiness` assesses it from a terminal. Either way the report's last line (`stats` in JSON) says when the listing stopped at its limit and counts what was analysed and what was listed but not analysed, whose evidence is then not in the verdicts. On huggingface/diffusers (2,092 Python files) the editor used to stop at the first 1,000, which gave four verdicts that the whole project does not (`data-pii-access`, `ops-quality-gate`, `genai-output-validation`, `genai-prompts-versioned`; score 45 against 48); it now reads all of them, and its report is the one `mlready readiness` writes. On EleutherAI/lm-evaluation-harness (16,276 files, 13,902 of them task YAML) a listing stopped at 5,000 files reached 301 of its 800 Python files and gave seven wrong verdicts (score 33 against 42); both the editor and `mlready readiness` now read all of it. For a larger project, run `mlready readiness`. Text files (documents, configuration) are read up to 1 MB each and 256 MB in all (64 MB in the editor's view, which keeps them while the editor runs); the report counts any left unread.",
    '',
  );
  out.push('## Contents', '');
  for (const category of CATEGORIES)
    out.push(`- [${category.title}](#${slug(category.title)}): ${category.items.map((item) => `[\`${item.id}\`](#${item.id})`).join(', ')}`);
  out.push('');
  for (const category of CATEGORIES) {
    out.push(`## ${category.title}`, '');
    for (const item of category.items) {
      out.push(`<a id="${item.id}"></a>`, `### ${item.title}`, '');
      out.push(
        `Id: \`${item.id}\`. ${item.attestable === 'only' ? 'Closed by attestation only.' : item.attestable === 'yes' ? 'Can be attested when the evidence is elsewhere.' : 'Decided by the code; can only be marked not applicable.'}`,
        '',
      );
      out.push(`**Why it matters.** ${item.why}`, '');
      out.push(`**How it is detected.** ${item.detection}`, '');
      out.push(`**To close it.** ${actionText(item.action)}${item.action.command ? ` (editor command \`${item.action.command}\`)` : ''}.`, '');
    }
  }
  if (benchmark) out.push(benchmark.trim(), '');
  out.push('## Scoring', '');
  for (const line of SCORING_RULES) out.push(`- ${line}`);
  out.push('', '| Band | From score | Meaning |', '|---|---:|---|');
  for (const band of BANDS) out.push(`| ${band.name} | ${band.min} | ${band.description} |`);
  out.push(
    '',
    'A project that is one notebook and an unpinned `requirements.txt` scores under 30; a project with a versioned pipeline, tracking, tests in CI, a typed serving API with a fallback, monitoring and a model card scores over 75 (see `test/fixtures/readiness/`).',
    '',
    '`mlready readiness --min-score N` exits with status 1 when the score is below N: the CI gate.',
    '',
  );
  out.push('## Attestations', '');
  out.push(
    'Some things code cannot show: that stakeholders expect iterations, that batch versus real-time was decided on purpose, that PII handling was reviewed. A person attests them in `pyproject.toml` under `[tool.mlready.readiness]`, or in `mlready.toml` under `[readiness]`, one table per item id:',
    '',
    '```toml',
    '[tool.mlready.readiness.problem-iterative-expectations]',
    'status = "attested"          # or "not-applicable"',
    'by = "Ana Ruiz"',
    'date = 2025-03-14            # a TOML date or "YYYY-MM-DD"',
    'note = "Quarterly retraining budget agreed with the retention team"',
    '```',
    '',
    '- `status = "attested"` earns half a point, like a manual check in the ML Test Score; automated evidence found later earns the full point and replaces it.',
    '- `status = "not-applicable"` leaves the item out of the score (for instance `serving-slo` for a nightly batch job).',
    "- `by` and `date` are required; `note` is optional. Any other key is an error. The editor's Attest action proposes the project's git user (`git config user.name` and `user.email`) as `by`, not the operating system's login.",
    '- An unknown item id is an error that lists the valid ids; a value of the wrong type is an error that names the key. `mlready readiness` exits with status 2 on such errors.',
    '- Items decided by rule findings (`repro-seeds`, `repro-dependencies-pinned`, `repro-notebooks-in-order`, `integration-timeouts`, `integration-errors-surfaced`, `integration-safe-model-loading`) cannot be attested, only marked not applicable; and while `hardcoded-secret` finds a secret, an attestation of `data-pii-access` does not count.',
    '',
    '## Output formats',
    '',
    '`--format text` (default; coloured on a terminal), `json` (the contract below), `markdown` (for a pull-request comment) and `sarif` (one result per open item).',
    '',
    '```json',
    '{"score": 42, "band": "First pass at productionization", "bandDescription": "…", "scoring": ["…"],',
    ' "categories": [{"id": "data", "title": "Data", "score": 50, "points": 2, "possible": 4,',
    '                 "items": [{"id": "data-versioned", "title": "Data is versioned", "status": "fail", "points": 0,',
    '                            "summary": "…", "why": "…", "attestable": true,',
    '                            "evidence": [{"path": "dvc.yaml", "line": 1, "note": "…"}],',
    '                            "action": {"title": "…", "command": "mlready.scaffold.pipeline"}}]}],',
    ' "problems": [], "stats": {"filesScanned": 12, "pythonFiles": 5, "notebooks": 1, "truncated": false, "pythonNotAnalysed": 0}}',
    '```',
    '',
    'Evidence lines are 1-based; for a notebook, `cell` is the 0-based index of the code cell (markdown cells not counted), `cellNumber` the cell\'s number as VS Code and Jupyter show it ("Cell 10": 1-based, markdown cells counted), and `line` counts inside the cell.',
    '',
  );
  return out.join('\n');
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}
