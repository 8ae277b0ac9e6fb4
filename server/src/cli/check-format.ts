import { escapeControl, renderSarifLog, type Finding, type Rule, type RuleFailure } from '../engine/index';

export interface CheckedFile {
  path: string;
  kind: 'script' | 'notebook';
  findings: Finding[];
  failures?: RuleFailure[];
  error?: string;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', reset: '\x1b[0m' };

/** The cell as VS Code shows it ("Cell 10": markdown cells counted); the code-cell count when that is unknown. */
function cellNumber(finding: Finding): number | undefined {
  return finding.cellNumber ?? (finding.cell !== undefined ? finding.cell + 1 : undefined);
}

/** `path:line:col: rule message`; in notebooks `path:cell N:line:col:` with N the cell's number as VS Code shows it. */
export function location(file: CheckedFile, finding: Finding): string {
  const number = cellNumber(finding);
  const cell = number !== undefined ? `cell ${number}:` : '';
  return `${escapeControl(file.path)}:${cell}${finding.range.start.line + 1}:${finding.range.start.column + 1}`;
}

export function formatText(files: CheckedFile[], options: { color: boolean; fixed?: number }): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const lines: string[] = [];
  let findings = 0;
  let errors = 0;
  let fixable = 0;
  for (const file of files) {
    if (file.error !== undefined) {
      errors++;
      lines.push(`${paint(ANSI.bold, escapeControl(file.path))}: ${paint(ANSI.red, 'error')}: ${escapeControl(file.error)}`);
      continue;
    }
    for (const failure of file.failures ?? []) {
      lines.push(
        `${paint(ANSI.bold, escapeControl(file.path))}: ${paint(ANSI.red, 'internal error')} in rule ${failure.rule}: ${escapeControl(failure.message)} (other rules' findings are shown)`,
      );
    }
    for (const finding of file.findings) {
      findings++;
      if (finding.fix?.applicability === 'safe') fixable++;
      const rule = paint(finding.severity === 'error' ? ANSI.red : ANSI.yellow, finding.rule);
      const mark = finding.fix ? paint(ANSI.cyan, finding.fix.applicability === 'safe' ? ' [*]' : ' [unsafe fix]') : '';
      lines.push(`${paint(ANSI.bold, location(file, finding))}: ${rule}${mark} ${escapeControl(finding.message)}`);
    }
  }
  const summary: string[] = [];
  if (options.fixed !== undefined) summary.push(`Fixed ${options.fixed} ${plural(options.fixed, 'finding')}.`);
  summary.push(
    findings === 0 && errors === 0
      ? `All checks passed (${files.length} ${plural(files.length, 'file')}).`
      : `Found ${findings} ${plural(findings, 'finding')} in ${files.length} ${plural(files.length, 'file')}${errors ? `, ${errors} ${plural(errors, 'file')} could not be checked` : ''}.`,
  );
  if (fixable > 0 && options.fixed === undefined) summary.push(`${fixable} fixable with \`mlready check --fix\` ([*]).`);
  return [...lines, ...(lines.length ? [''] : []), ...summary].join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * The `--format json` contract: 1-based lines and columns; for notebooks `cell`, the 0-based index
 * among the code cells (markdown cells not counted), and `cellNumber`, the cell's number as VS Code
 * and Jupyter show it ("Cell 10": 1-based, markdown cells counted); `fix` null when none.
 */
export function formatJson(files: CheckedFile[], version: string): string {
  const out = {
    tool: { name: 'mlready', version },
    files: files.map((file) => {
      if (file.error !== undefined) return { path: file.path, kind: file.kind, error: file.error };
      return {
        path: file.path,
        kind: file.kind,
        findings: file.findings.map((finding) => ({
          rule: finding.rule,
          severity: finding.severity,
          message: finding.message,
          ...(finding.cell !== undefined ? { cell: finding.cell } : {}),
          ...(finding.cell !== undefined && finding.cellNumber !== undefined ? { cellNumber: finding.cellNumber } : {}),
          line: finding.range.start.line + 1,
          column: finding.range.start.column + 1,
          endLine: finding.range.end.line + 1,
          endColumn: finding.range.end.column + 1,
          fix: finding.fix ? { title: finding.fix.title, applicability: finding.fix.applicability } : null,
        })),
        ...(file.failures && file.failures.length > 0 ? { ruleErrors: file.failures } : {}),
      };
    }),
    summary: {
      files: files.length,
      findings: files.reduce((n, file) => n + file.findings.length, 0),
      errors: files.filter((file) => file.error !== undefined).length,
    },
  };
  return JSON.stringify(out, null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** SARIF 2.1.0, as GitHub code scanning and other viewers read it. */
export function formatSarif(files: CheckedFile[], version: string, rules: readonly Rule[], ruleUrl: (name: string) => string): string {
  return renderSarifLog({
    toolName: 'mlready',
    version,
    informationUri: 'https://github.com/mlready/mlready',
    rules: rules.map((rule) => ({
      id: rule.name,
      name: rule.name,
      shortDescription: rule.summary,
      fullDescription: rule.docs.what,
      helpText: rule.docs.why,
      helpMarkdown: `${rule.docs.why}\n\n[Rule page](${ruleUrl(rule.name)})`,
      helpUri: ruleUrl(rule.name),
      defaultLevel: SARIF_LEVEL[rule.severity],
      properties: { category: rule.category, fixable: rule.fix ?? 'none' },
    })),
    notifications: files.filter((file) => file.error !== undefined).map((file) => ({ level: 'error' as const, message: file.error!, path: file.path })),
    results: files.flatMap((file) =>
      file.findings.map((finding) => {
        const cell =
          finding.cell !== undefined ? { cell: finding.cell, ...(finding.cellNumber !== undefined ? { cellNumber: finding.cellNumber } : {}) } : undefined;
        return {
          ruleId: finding.rule,
          level: SARIF_LEVEL[finding.severity],
          message: finding.message,
          path: file.path,
          region: {
            startLine: finding.range.start.line + 1,
            startColumn: finding.range.start.column + 1,
            endLine: finding.range.end.line + 1,
            endColumn: finding.range.end.column + 1,
          },
          properties: cell,
          locationProperties: cell,
        };
      }),
    ),
  });
}

/** GitHub Actions workflow commands: one annotation per finding. */
export function formatGithub(files: CheckedFile[]): string {
  const escapeData = (s: string) => escapeControl(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
  const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines: string[] = [];
  for (const file of files) {
    if (file.error !== undefined) {
      lines.push(`::error file=${escapeProperty(file.path)},title=${escapeProperty('mlready: cannot check file')}::${escapeData(file.error)}`);
      continue;
    }
    for (const finding of file.findings) {
      const level = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'notice';
      const number = cellNumber(finding);
      const cell = number !== undefined ? ` (Cell ${number})` : '';
      // In notebooks the lines count inside the cell, so the annotation names the cell instead of pointing into the JSON.
      const place =
        finding.cell !== undefined
          ? `file=${escapeProperty(file.path)}`
          : `file=${escapeProperty(file.path)},line=${finding.range.start.line + 1},col=${finding.range.start.column + 1},endLine=${finding.range.end.line + 1},endColumn=${finding.range.end.column + 1}`;
      lines.push(`::${level} ${place},title=${escapeProperty(`mlready ${finding.rule}`)}::${escapeData(`${finding.message}${cell}`)}`);
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** A Markdown table for a pull-request comment. */
export function formatMarkdown(files: CheckedFile[]): string {
  const escapeCell = (s: string) => escapeControl(s.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' '));
  const rows: string[] = [];
  for (const file of files) {
    if (file.error !== undefined) rows.push(`| \`${escapeCell(file.path)}\` | | error | ${escapeCell(file.error)} |`);
    for (const finding of file.findings)
      rows.push(`| \`${escapeCell(location(file, finding))}\` | \`${finding.rule}\` | ${finding.severity} | ${escapeCell(finding.message)} |`);
  }
  const total = files.reduce((n, file) => n + file.findings.length, 0);
  const head = `### mlready: ${total} finding${total === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}\n`;
  if (rows.length === 0) return `${head}\nNo findings.\n`;
  return `${head}\n| Location | Rule | Severity | Message |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}
