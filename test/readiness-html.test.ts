// The readiness report page (webview HTML) and the attestation writer: both take strings from
// the user's workspace (file names, notes, titles) and must neither run them nor break on them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { createEngine } from '../server/src/engine/index';
import { computeReadiness, parseAttestations, type ReadinessReport } from '../server/src/engine/readiness/index';
import { contentSecurityPolicy, escapeHtml, parseReportMessage, renderReportHtml } from '../client/src/readiness/report-html';
import { addAttestation, AttestationWriteError, chooseConfigFile, tomlString, type AttestationEntry } from '../client/src/readiness/attest';

const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"onerror=alert(1) x="';
const IMG = '<img src=x onerror=alert(2)>';
let base: ReadinessReport;

before(async () => {
  const engine = await createEngine();
  base = await computeReadiness(path.join(__dirname, 'fixtures', 'readiness', 'production'), engine);
});

/** A report whose every workspace string is hostile. */
function hostileReport(): ReadinessReport {
  const report = structuredClone(base);
  const items = report.categories.flatMap((c) => c.items);
  const attested = items.find((item) => item.status === 'attested')!;
  attested.attestation!.note = `${SCRIPT} ${ATTR}`;
  attested.evidence[0].note = `attested by ${ATTR} on 2025-03-14: ${SCRIPT}`;
  const open = items.find((item) => item.status === 'fail' || item.status === 'partial') ?? items[0];
  open.status = 'fail';
  open.attestable = true;
  open.summary = `${IMG} summary`;
  open.action = { title: `${SCRIPT} action`, command: 'mlready.scaffold.api', url: 'https://example.com/"><script>alert(3)</script>' };
  open.evidence.push({ path: `src/${SCRIPT}${ATTR}.py`, line: 3, note: `${ATTR}${IMG}` });
  open.evidence.push({ path: `notebooks/${IMG}.ipynb`, line: 1, cell: 2, note: SCRIPT });
  report.categories[0].title = `${SCRIPT} category`;
  report.band = `${ATTR} band`;
  report.problems.push({ path: `${SCRIPT}.toml`, line: 2, message: `${ATTR} not valid TOML` });
  report.scoring.push(`${IMG} scoring`);
  return report;
}

const ALLOWED_ATTRIBUTES = new Set([
  'lang',
  'charset',
  'http-equiv',
  'content',
  'name',
  'nonce',
  'class',
  'id',
  'href',
  'title',
  'role',
  'aria-label',
  'scope',
  'data-action',
  'data-item',
  'data-index',
]);

/** Every tag of the page with its attributes (content's `<` is escaped, so every `<x` is ours). */
function tags(html: string): { name: string; attributes: Map<string, string> }[] {
  const result: { name: string; attributes: Map<string, string> }[] = [];
  for (const match of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attributes = new Map<string, string>();
    for (const attr of match[2].matchAll(/\s+([^\s=>]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attributes.set(attr[1].toLowerCase(), attr[3] ?? attr[4] ?? attr[5] ?? '');
    }
    result.push({ name: match[1].toLowerCase(), attributes });
  }
  return result;
}

test('the page has a strict CSP with a nonce, and only nonced style and script', () => {
  const nonce = randomBytes(16).toString('base64');
  const html = renderReportHtml(hostileReport(), nonce);
  const all = tags(html);
  const csp = all.find((tag) => tag.name === 'meta' && tag.attributes.get('http-equiv') === 'Content-Security-Policy');
  assert.ok(csp, 'a CSP meta tag');
  const policy = csp.attributes.get('content')!.replace(/&#39;/g, "'");
  assert.equal(policy, contentSecurityPolicy(nonce));
  assert.match(
    policy,
    new RegExp(`^default-src 'none'; style-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'; script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`),
  );
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:|\*/);
  // The CSP comes before any style or script.
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'));
  const styles = all.filter((tag) => tag.name === 'style');
  const scripts = all.filter((tag) => tag.name === 'script');
  assert.equal(styles.length, 1);
  assert.equal(scripts.length, 1, 'exactly our one script');
  for (const tag of [...styles, ...scripts]) assert.equal(tag.attributes.get('nonce'), nonce);
  assert.throws(() => renderReportHtml(base, "x' 'unsafe-inline"), /nonce/);
});

test('nothing remote: no http(s) URL in any src or href, no resource-loading tags', () => {
  const html = renderReportHtml(hostileReport(), randomBytes(16).toString('base64'));
  for (const tag of tags(html)) {
    for (const [name, value] of tag.attributes) {
      assert.ok(ALLOWED_ATTRIBUTES.has(name), `unexpected attribute ${name} on <${tag.name}>`);
      if (name === 'href') assert.equal(value, '#', 'links carry no URL; the extension resolves them');
    }
    assert.ok(!['img', 'link', 'iframe', 'object', 'embed', 'base', 'form'].includes(tag.name), `<${tag.name}> must not appear`);
  }
  assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
  assert.doesNotMatch(html, /@import|url\(/i, 'no remote CSS either');
});

test('every workspace string is escaped: file names, notes, titles, problems', () => {
  const html = renderReportHtml(hostileReport(), randomBytes(16).toString('base64'));
  assert.equal(html.includes(SCRIPT), false, 'no raw <script>alert(1)</script>');
  assert.equal(html.includes(IMG), false);
  assert.equal(html.includes(ATTR), false, 'no raw "onerror=');
  assert.equal(html.includes('example.com'), false, 'action URLs are not put in the page');
  assert.ok(html.includes(escapeHtml(SCRIPT)), 'the text is shown, escaped');
  assert.ok(html.includes(`src/${escapeHtml(SCRIPT)}${escapeHtml(ATTR)}.py:3`), 'the file name is shown, escaped');
  assert.ok(html.includes(escapeHtml(`${ATTR} band`)));
  // No tag other than ours, and none with an event handler.
  for (const tag of tags(html)) for (const name of tag.attributes.keys()) assert.equal(name.startsWith('on'), false, `<${tag.name} ${name}>`);
  const ours = new Set([
    'html',
    'head',
    'meta',
    'title',
    'style',
    'body',
    'header',
    'div',
    'span',
    'h1',
    'h2',
    'p',
    'strong',
    'a',
    'section',
    'table',
    'tr',
    'th',
    'td',
    'ol',
    'ul',
    'li',
    'code',
    'details',
    'summary',
    'script',
  ]);
  for (const tag of tags(html)) assert.ok(ours.has(tag.name), `<${tag.name}> comes from workspace text`);
});

test('escapeHtml escapes quotes, angle brackets, ampersands and backticks', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
});

test('the score, band, a bar per category, open items first, and how the score was computed', () => {
  const report = structuredClone(base);
  const html = renderReportHtml(report, randomBytes(16).toString('base64'));
  assert.ok(html.includes(`<span class="number">${report.score}</span>`));
  assert.ok(html.includes(escapeHtml(report.band)));
  for (const [index, category] of report.categories.entries()) {
    assert.ok(html.includes(`#bar-${index} { width: ${category.score ?? 0}%; }`), category.id);
    assert.ok(html.includes(`id="bar-${index}"`));
  }
  const openIndex = html.indexOf('<h2>Open items');
  assert.ok(openIndex > 0 && openIndex < html.indexOf('<h2>All items'));
  assert.ok(html.indexOf('How the score was computed') > 0);
  for (const line of report.scoring) assert.ok(html.includes(escapeHtml(line)));
  assert.ok(!html.includes('not analysed'), 'every Python file was analysed');
  report.stats.pythonNotAnalysed = 1089;
  assert.ok(
    renderReportHtml(report, randomBytes(16).toString('base64')).includes(escapeHtml("1089 more Python files listed but not analysed (the scan's limit)")),
  );
});

test('messages from the page are validated', () => {
  assert.deepEqual(parseReportMessage({ type: 'openEvidence', item: 'data-versioned', index: 2 }), { type: 'openEvidence', item: 'data-versioned', index: 2 });
  assert.deepEqual(parseReportMessage({ type: 'attest', item: 'serving-slo' }), { type: 'attest', item: 'serving-slo' });
  assert.equal(parseReportMessage({ type: 'openEvidence', item: '../../etc/passwd', index: 0 }), undefined);
  assert.equal(parseReportMessage({ type: 'openEvidence', item: 'data-versioned', index: -1 }), undefined);
  assert.equal(parseReportMessage({ type: 'run', command: 'workbench.action.terminal.new' }), undefined);
  assert.equal(parseReportMessage('openRule'), undefined);
  assert.equal(parseReportMessage(null), undefined);
});

// ---- The attestation writer -------------------------------------------------------------

const entry: AttestationEntry = { id: 'serving-slo', status: 'attested', by: 'Ana Ruiz', date: '2025-03-14', note: 'p95 200 ms agreed with the CRM team' };

const PYPROJECT = `# Project metadata — keep the comments!
[project]
name = "churn"   # inline comment
dependencies = [
  "pandas>=2.1", # pinned below
]

[tool.mlready]
select = ["missing-seed"]

[tool.mlready.readiness.problem-iterative-expectations]
status = "attested"
by = "Tom"
date = 2025-03-01
`;

function readBack(text: string, file: 'pyproject.toml' | 'mlready.toml') {
  const data = parse(text.replace(/^\uFEFF/, '')) as Record<string, any>;
  const table = file === 'pyproject.toml' ? data.tool.mlready.readiness : data.readiness;
  return parseAttestations(table, file, text);
}

test('appends the table and keeps the rest of pyproject.toml byte for byte', () => {
  const result = addAttestation(PYPROJECT, 'pyproject.toml', entry);
  assert.ok(result.startsWith(PYPROJECT), 'the original text is a prefix');
  assert.match(
    result.slice(PYPROJECT.length),
    /^\n\[tool\.mlready\.readiness\.serving-slo\]\nstatus = "attested"\nby = "Ana Ruiz"\ndate = 2025-03-14\nnote = "p95 200 ms agreed with the CRM team"\n$/,
  );
  const { attestations, problems } = readBack(result, 'pyproject.toml');
  assert.deepEqual(problems, [], 'the engine accepts what was written');
  assert.equal(attestations.get('serving-slo')?.note, entry.note);
  assert.equal(attestations.get('problem-iterative-expectations')?.by, 'Tom', 'the existing attestation is intact');
  assert.equal((parse(result) as any).tool.mlready.select[0], 'missing-seed');
});

test('keeps CRLF line endings, a BOM, and a file without a final line break', () => {
  const crlf = `\uFEFF[project]\r\nname = "x"`;
  const result = addAttestation(crlf, 'pyproject.toml', entry);
  assert.ok(result.startsWith(crlf));
  assert.equal(result.slice(crlf.length).replace(/\r\n/g, '').includes('\n'), false, 'only CRLF added');
  assert.ok(result.endsWith('\r\n'));
  assert.equal(readBack(result, 'pyproject.toml').attestations.get(entry.id)?.status, 'attested');
});

test('a new mlready.toml gets [readiness.<id>]; mlready.toml wins over pyproject.toml', () => {
  const result = addAttestation('', 'mlready.toml', { ...entry, status: 'not-applicable', note: undefined });
  assert.equal(result, '[readiness.serving-slo]\nstatus = "not-applicable"\nby = "Ana Ruiz"\ndate = 2025-03-14\n');
  assert.equal(readBack(result, 'mlready.toml').attestations.get(entry.id)?.status, 'not-applicable');
  assert.deepEqual(
    chooseConfigFile((name) => name === 'pyproject.toml'),
    { name: 'pyproject.toml', create: false },
  );
  assert.deepEqual(
    chooseConfigFile(() => true),
    { name: 'mlready.toml', create: false },
  );
  assert.deepEqual(
    chooseConfigFile(() => false),
    { name: 'mlready.toml', create: true },
  );
});

test('refuses instead of corrupting: invalid TOML, an existing entry, an inline readiness table', () => {
  assert.throws(
    () => addAttestation('[project\nname = 1\n', 'pyproject.toml', entry),
    (e: unknown) => e instanceof AttestationWriteError && /not valid TOML/.test(e.message),
  );
  const existing = addAttestation(PYPROJECT, 'pyproject.toml', entry);
  assert.throws(
    () => addAttestation(existing, 'pyproject.toml', entry),
    (e: unknown) =>
      e instanceof AttestationWriteError &&
      /already has an entry/.test(e.message) &&
      e.line === existing.split('\n').findIndex((l) => l.includes(entry.id)) + 1,
  );
  const inline = '[tool.mlready]\nreadiness = { problem-decision-stated = { status = "attested", by = "x", date = "2025-01-01" } }\n';
  assert.throws(
    () => addAttestation(inline, 'pyproject.toml', entry),
    (e: unknown) => e instanceof AttestationWriteError && /invalid TOML/.test(e.message),
  );
  const dotted = '[tool]\nmlready.readiness.serving-slo.status = "attested"\n';
  assert.throws(() => addAttestation(dotted, 'pyproject.toml', entry), /already has an entry/);
  assert.throws(() => addAttestation(PYPROJECT, 'pyproject.toml', { ...entry, date: '14/03/2025' }), /YYYY-MM-DD/);
  assert.throws(() => addAttestation(PYPROJECT, 'pyproject.toml', { ...entry, id: 'x]\n[evil' }), /not a readiness item id/);
});

test('notes and names with quotes, backslashes, newlines and HTML round-trip exactly', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (note, by) => {
      fc.pre(by.trim().length > 0 && !by.includes('\uFEFF'));
      const written = { ...entry, note: `${SCRIPT}${note}\\"\n\t`, by };
      const result = addAttestation(PYPROJECT, 'pyproject.toml', written);
      assert.ok(result.startsWith(PYPROJECT));
      const data = parse(result) as any;
      const table = data.tool.mlready.readiness['serving-slo'];
      assert.equal(table.note, written.note.trim());
      assert.equal(table.by, by.trim());
    }),
    { numRuns: 300 },
  );
  assert.equal(tomlString('a"b\\c\nd\u0001'), '"a\\"b\\\\c\\nd\\u0001"');
});
