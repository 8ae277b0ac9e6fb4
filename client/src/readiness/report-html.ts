// The full readiness report as a webview page: pure (no vscode import), so the HTML, its
// Content-Security-Policy and its escaping are tested without an editor.
//
// Security: the page loads nothing (default-src 'none'); its one style block and one script
// carry a fresh nonce; every string from the workspace (titles, notes, paths, attestation notes)
// goes through `escapeHtml`; links carry no URLs, only an item id and an index that the
// extension resolves against its own copy of the report.
import type { ItemStatus, ReadinessCategory, ReadinessItem, ReadinessReport } from '../../../server/src/protocol';
import { evidenceLocation, openItems, percent, STATUS_LABELS } from './tree-model';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** A nonce: 128 random bits, base64 (pass one from crypto.randomBytes). */
export function isValidNonce(nonce: string): boolean {
  return /^[A-Za-z0-9+/]{16,}={0,2}$/.test(nonce);
}

export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'none'; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'; frame-src 'none'`;
}

/** Messages the page posts to the extension (item ids and indexes only, never paths or URLs). */
export type ReportMessage =
  | { type: 'openEvidence'; item: string; index: number }
  | { type: 'openRule'; item: string }
  | { type: 'scaffold'; item: string }
  | { type: 'attest'; item: string }
  | { type: 'refresh' };

/** Validates a message from the webview (it is untrusted input like any other). */
export function parseReportMessage(value: unknown): ReportMessage | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const message = value as Record<string, unknown>;
  const item = typeof message.item === 'string' && /^[a-z0-9-]{1,100}$/.test(message.item) ? message.item : undefined;
  switch (message.type) {
    case 'refresh':
      return { type: 'refresh' };
    case 'openEvidence':
      return item && Number.isInteger(message.index) && (message.index as number) >= 0
        ? { type: 'openEvidence', item, index: message.index as number }
        : undefined;
    case 'openRule':
    case 'scaffold':
    case 'attest':
      return item ? { type: message.type, item } : undefined;
    default:
      return undefined;
  }
}

const STATUS_MARK: Record<ItemStatus, string> = { pass: '✓', partial: '◐', fail: '✗', attested: '✎', 'not-applicable': '–' };

export function renderReportHtml(report: ReadinessReport, nonce: string): string {
  if (!isValidNonce(nonce)) throw new Error('renderReportHtml needs a random base64 nonce');
  const open = openItems(report);
  const barRules = report.categories.map((category, index) => `#bar-${index} { width: ${clampPercent(category.score)}%; }`).join('\n');
  const attested = report.categories.flatMap((c) => c.items).filter((item) => item.status === 'attested');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Production Readiness</title>
<style nonce="${escapeHtml(nonce)}">
${STYLE}
#score-fill { width: ${clampPercent(report.score)}%; }
${barRules}
</style>
</head>
<body>
<header>
  <div class="score"><span class="number">${escapeHtml(report.score)}</span><span class="of">/ 100</span></div>
  <div>
    <h1>Production Readiness</h1>
    <p class="band"><strong>${escapeHtml(report.band)}</strong> — ${escapeHtml(report.bandDescription)}</p>
    <div class="bar big" role="img" aria-label="score ${escapeHtml(report.score)} of 100"><div class="fill" id="score-fill"></div></div>
    <p class="muted">${escapeHtml(count(report.stats.filesScanned, 'file'))} scanned (${escapeHtml(count(report.stats.pythonFiles, 'Python file'))}, ${escapeHtml(count(report.stats.notebooks, 'notebook'))})${report.stats.truncated ? ' — the scan stopped at its file limit' : ''}${report.stats.pythonNotAnalysed > 0 ? escapeHtml(` — ${count(report.stats.pythonNotAnalysed, 'more Python file')} listed but not analysed (the scan's limit), so their evidence is not in the verdicts`) : ''}. <a href="#" data-action="refresh">Refresh</a></p>
  </div>
</header>
${report.problems.length > 0 ? renderProblems(report) : ''}
<section>
<h2>Categories</h2>
<table class="categories">
${report.categories.map((category, index) => renderCategoryRow(category, index)).join('\n')}
</table>
</section>
<section>
<h2>Open items (${open.length})</h2>
${open.length === 0 ? '<p class="muted">Nothing is open.</p>' : `<ol class="items">${open.map(({ category, item }) => renderItem(item, category)).join('\n')}</ol>`}
</section>
${attested.length > 0 ? `<section><h2>Attested (${attested.length})</h2><ol class="items">${attested.map((item) => renderItem(item)).join('\n')}</ol></section>` : ''}
<section>
<h2>All items</h2>
${report.categories.map(renderCategoryDetails).join('\n')}
</section>
<section>
<h2>How the score was computed</h2>
<ul class="scoring">${report.scoring.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>
</section>
<script nonce="${escapeHtml(nonce)}">
${SCRIPT}
</script>
</body>
</html>
`;
}

function clampPercent(score: number | null): number {
  if (score === null || !Number.isFinite(score)) return 0;
  return Math.max(0, Math.min(100, Math.round(score)));
}

function renderProblems(report: ReadinessReport): string {
  return `<section class="problems"><h2>Problems</h2><ul>${report.problems
    .map((problem) => `<li><code>${escapeHtml(problem.line ? `${problem.path}:${problem.line}` : problem.path)}</code> ${escapeHtml(problem.message)}</li>`)
    .join('')}</ul></section>`;
}

function renderCategoryRow(category: ReadinessCategory, index: number): string {
  return `<tr><th scope="row">${escapeHtml(category.title)}</th><td class="barcell"><div class="bar"><div class="fill" id="bar-${index}"></div></div></td><td class="pct">${escapeHtml(percent(category.score))}</td><td class="muted">${escapeHtml(category.points)} / ${escapeHtml(category.possible)} points</td></tr>`;
}

function renderItem(item: ReadinessItem, category?: ReadinessCategory): string {
  const actions: string[] = [];
  if (item.action?.command) actions.push(`<a href="#" data-action="scaffold" data-item="${escapeHtml(item.id)}">Scaffold it</a>`);
  if (item.action?.rule || item.action?.url) actions.push(`<a href="#" data-action="openRule" data-item="${escapeHtml(item.id)}">Read more</a>`);
  if (item.attestable && (item.status === 'fail' || item.status === 'partial'))
    actions.push(`<a href="#" data-action="attest" data-item="${escapeHtml(item.id)}">Attest…</a>`);
  const evidence =
    item.evidence.length === 0
      ? ''
      : `<ul class="evidence">${item.evidence
          .map(
            (e, index) =>
              `<li><a href="#" data-action="openEvidence" data-item="${escapeHtml(item.id)}" data-index="${index}"><code>${escapeHtml(evidenceLocation(e))}</code></a> ${escapeHtml(e.note)}</li>`,
          )
          .join('')}</ul>`;
  return `<li class="item status-${escapeHtml(item.status)}">
<div class="title"><span class="mark" title="${escapeHtml(STATUS_LABELS[item.status])}">${STATUS_MARK[item.status]}</span> <strong>${escapeHtml(item.title)}</strong> <span class="muted">${category ? `${escapeHtml(category.title)} · ` : ''}${escapeHtml(STATUS_LABELS[item.status])} · <code>${escapeHtml(item.id)}</code></span></div>
<p>${escapeHtml(item.summary)}</p>
<details><summary>Why it matters</summary><p>${escapeHtml(item.why)}</p></details>
${item.action ? `<p class="action">To close it: ${escapeHtml(item.action.title)}</p>` : ''}
${evidence}
${actions.length > 0 ? `<p class="actions">${actions.join(' · ')}</p>` : ''}
</li>`;
}

function renderCategoryDetails(category: ReadinessCategory): string {
  return `<details class="category"><summary><strong>${escapeHtml(category.title)}</strong> ${escapeHtml(percent(category.score))}</summary><ol class="items">${category.items.map((item) => renderItem(item)).join('\n')}</ol></details>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 24px 32px; line-height: 1.45; }
header { display: flex; gap: 24px; align-items: center; border-bottom: 1px solid var(--vscode-panel-border); padding: 16px 0; }
h1 { margin: 0 0 4px; font-size: 1.6em; font-weight: 600; }
h2 { font-size: 1.2em; margin-top: 28px; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 4px; }
.score .number { font-size: 3.2em; font-weight: 700; }
.score .of, .muted { color: var(--vscode-descriptionForeground); }
.band { margin: 0 0 8px; }
.bar { background: var(--vscode-editorWidget-background, rgba(128,128,128,0.15)); border: 1px solid var(--vscode-panel-border); height: 10px; border-radius: 3px; overflow: hidden; min-width: 160px; }
.bar.big { height: 14px; max-width: 420px; }
.fill { height: 100%; background: var(--vscode-progressBar-background); }
table.categories { border-collapse: collapse; }
table.categories th { text-align: left; font-weight: normal; padding: 4px 16px 4px 0; }
table.categories td { padding: 4px 12px 4px 0; }
.barcell { width: 240px; }
.pct { text-align: right; font-variant-numeric: tabular-nums; }
ol.items { padding-left: 20px; }
li.item { margin: 10px 0 16px; }
li.item p { margin: 4px 0; }
.mark { display: inline-block; width: 1.2em; text-align: center; }
.status-pass .mark { color: var(--vscode-testing-iconPassed); }
.status-fail .mark { color: var(--vscode-testing-iconFailed); }
.status-partial .mark { color: var(--vscode-editorWarning-foreground); }
.status-attested .mark { color: var(--vscode-charts-blue); }
.status-not-applicable .mark { color: var(--vscode-disabledForeground); }
ul.evidence { margin: 4px 0; padding-left: 20px; }
code { font-family: var(--vscode-editor-font-family); font-size: 0.95em; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { text-decoration: underline; color: var(--vscode-textLink-activeForeground); }
.problems { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 12px; }
details.category { margin: 6px 0; }
summary { cursor: pointer; }
.scoring li { margin: 4px 0; }
`;

// Posts the clicked link's action and item id; the extension decides what they mean.
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-action]') : null;
  if (!link) return;
  event.preventDefault();
  const message = { type: link.dataset.action, item: link.dataset.item };
  if (link.dataset.index !== undefined) message.index = Number(link.dataset.index);
  vscode.postMessage(message);
});
`;

/** "1 notebook", "2 notebooks". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
