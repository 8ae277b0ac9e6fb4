/**
 * The syntax-error rule's indentation verdicts against Python's: random functions of nested
 * blocks, each line indented with a random mix of spaces and tabs, compiled by `python3` (the
 * oracle) and analysed by mlready. Counts, by Python's verdict (`ok`, `tab` for `TabError`,
 * `indent` for `IndentationError`, `syntax` for other errors), what mlready reported and whether
 * on Python's line.
 *
 *   node --import tsx scripts/indentation-trial.ts [--programs 3000] [--seed 1] [--show 3]
 *
 * `--show N` prints up to N programs of each disagreement (tabs as →, spaces as ·).
 */
import { execFileSync } from 'node:child_process';
import { createEngine } from '../server/src/engine/index';
import { numberOption } from './trial-edits';

const INDENTS = ['', ' ', '  ', '    ', '        ', '\t', '\t\t', '\t ', ' \t', '    \t', '\t    ', '        \t'];
const STATEMENTS = ['if x:', 'y = 1', 'for i in x:', 'return x', 'y = 2'];

async function main(argv: string[]): Promise<void> {
  let seed = numberOption(argv, '--seed', 1);
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const programs: string[] = [];
  for (let n = numberOption(argv, '--programs', 3000); n > 0; n--) {
    const lines = ['def f(x):'];
    for (let count = 2 + Math.floor(random() * 4); count > 0; count--) lines.push(pick(INDENTS) + pick(STATEMENTS));
    lines.push(`${pick(INDENTS)}z = 3`);
    programs.push(`${lines.join('\n')}\n`);
  }
  const oracle = [
    'import json, sys',
    'out = []',
    'for source in json.load(sys.stdin):',
    '    try:',
    '        compile(source, "f.py", "exec")',
    '        out.append(["ok", 0])',
    '    except TabError as error:',
    '        out.append(["tab", error.lineno])',
    '    except IndentationError as error:',
    '        out.append(["indent", error.lineno])',
    '    except SyntaxError as error:',
    '        out.append(["syntax", error.lineno])',
    'print(json.dumps(out))',
  ].join('\n');
  const python = JSON.parse(execFileSync('python3', ['-c', oracle], { input: JSON.stringify(programs), encoding: 'utf8', maxBuffer: 1 << 26 })) as [
    string,
    number,
  ][];
  const engine = await createEngine();
  const counts = new Map<string, number>();
  const show = numberOption(argv, '--show', 0);
  const shown = new Map<string, string[]>();
  programs.forEach((text, index) => {
    const found = engine.analyze({ path: 'f.py', kind: 'script', text }).findings.find((f) => f.rule === 'syntax-error');
    const [verdict, line] = python[index];
    const reported = !found ? 'nothing' : /TabError/.test(found.message) ? 'tab' : /IndentationError/.test(found.message) ? 'indent' : 'syntax';
    const where = found && verdict !== 'ok' ? (found.range.start.line + 1 === line ? ", on Python's line" : ', on another line') : '';
    const key = `Python ${verdict} → mlready ${reported}${where}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const examples = shown.get(key) ?? [];
    if (verdict !== (reported === 'nothing' ? 'ok' : reported) && examples.length < show)
      shown.set(key, [...examples, `line ${line}:\n${text.replace(/\t/g, '→').replace(/ /g, '·')}`]);
  });
  for (const [key, count] of [...counts].sort()) console.log(`${String(count).padStart(6)}  ${key}`);
  for (const [key, examples] of shown) console.log(`\n${key}:\n${examples.join('\n')}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
