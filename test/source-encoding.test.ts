import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodePythonSource, encodePythonSource, FileReadError } from '../server/src/engine/index';
import { withUniversalNewlines } from '../server/src/engine/text';
import { tempDir } from './helpers/temp-dir';

const cliPath = path.join(__dirname, '..', 'dist', 'cli.js');
const runCli = (args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 60_000 });

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Byte shapes of coding lines as real files write them, and the files Python refuses. */
const CASES: Record<string, Buffer> = {
  'utf-8, no coding line': Buffer.from('name = "café"\n'),
  'utf-8 with a BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = "é"\n')]),
  'latin-1, Emacs style': latin1('# -*- coding: latin-1 -*-\nname = "café"\n'),
  'latin-1 on line 2 after a shebang': latin1('#!/usr/bin/env python\n# -*- coding: Latin-1 -*-\nname = "Grüße"\n'),
  'iso-8859-1, vim style': latin1('# vim: set fileencoding=iso-8859-1 :\nname = "naïve"\n'),
  'latin_1 with an underscore': latin1('# coding=latin_1\ns = "\u00e9\u00e8"\n'),
  'latin-1 declared on line 2 after code: not a declaration': latin1('import os\n# -*- coding: latin-1 -*-\nname = "café"\n'),
  'latin-1 on line 3: not a declaration': latin1('#!/usr/bin/env python\n\n# -*- coding: latin-1 -*-\nname = "café"\n'),
  'cp1252 curly quotes': Buffer.concat([Buffer.from('# -*- coding: cp1252 -*-\ns = "'), Buffer.from([0x93, 0x68, 0x69, 0x94]), Buffer.from('"\n')]),
  shift_jis: Buffer.concat([Buffer.from('# -*- coding: shift_jis -*-\ns = "'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('"\n')]),
  'utf-8 declared, latin-1 bytes': latin1('# -*- coding: utf-8 -*-\nname = "café"\n'),
  'ascii declared, non-ASCII bytes': latin1('# -*- coding: ascii -*-\nname = "café"\n'),
  'a BOM and a latin-1 declaration': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# coding: latin-1\nx = 1\n')]),
  'an unknown encoding': Buffer.from('# -*- coding: no-such-codec -*-\nx = 1\n'),
  'latin-1 with CRLF line ends': latin1('# -*- coding: latin-1 -*-\r\nname = "café"\r\n'),
};

test('a script is decoded as Python decodes it (PEP 263): each case against importlib.util.decode_source', () => {
  const names = Object.keys(CASES);
  const program = [
    'import importlib.util, json, sys',
    'out = []',
    'for data in json.load(sys.stdin):',
    '    raw = bytes.fromhex(data)',
    '    try:',
    '        text = importlib.util.decode_source(raw)',
    // decode_source also reads the bytes as compile() would: a refused declaration raises there.
    '        compile(raw, "case.py", "exec")',
    '        out.append(text)',
    '    except (SyntaxError, UnicodeDecodeError, LookupError):',
    '        out.append(None)',
    'print(json.dumps(out))',
  ].join('\n');
  const python = JSON.parse(
    execFileSync('python3', ['-c', program], { input: JSON.stringify(names.map((name) => CASES[name].toString('hex'))), encoding: 'utf8' }),
  ) as (string | null)[];
  names.forEach((name, index) => {
    const expected = python[index];
    if (expected === null) {
      assert.throws(() => decodePythonSource(CASES[name]), FileReadError, `${name}: Python refuses it`);
      return;
    }
    // decode_source also turns line ends into `\n`, and keeps no BOM.
    const { text } = decodePythonSource(CASES[name]);
    assert.equal(withUniversalNewlines(text).replaceAll('\r\n', '\n'), expected, name);
  });
});

test('errors say what is wrong and what Python expects', () => {
  assert.throws(
    () => decodePythonSource(latin1('name = "café"\n')),
    /not valid UTF-8 \(first bad byte near offset 11\); Python reads UTF-8 unless a `# -\*- coding: … -\*-` line says otherwise/,
  );
  assert.throws(() => decodePythonSource(CASES['utf-8 declared, latin-1 bytes']), /not valid UTF-8, the encoding its coding line declares/);
  assert.throws(() => decodePythonSource(CASES['an unknown encoding']), /declares `no-such-codec`, an encoding mlready cannot read/);
  assert.throws(() => decodePythonSource(CASES['a BOM and a latin-1 declaration']), /byte order mark but its coding line declares `latin-1`/);
  assert.throws(() => decodePythonSource(Buffer.from('# coding: utf-16\nx = 1\n')), /an encoding mlready cannot read/);
  // The name comes from the file and iconv-lite looks it up in a plain object: Object's own members are not codecs.
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
    assert.throws(
      () => decodePythonSource(Buffer.from(`# coding: ${name}\nx = 1\n`)),
      new RegExp(`declares \`${name}\`, an encoding mlready cannot read`),
      name,
    );
});

test('fixes are written back in the encoding the file was read in, byte for byte where the text did not change', () => {
  for (const name of ['utf-8, no coding line', 'utf-8 with a BOM', 'latin-1, Emacs style', 'latin-1 with CRLF line ends', 'cp1252 curly quotes', 'shift_jis']) {
    const bytes = CASES[name];
    const decoded = decodePythonSource(bytes);
    assert.deepEqual(encodePythonSource(decoded.text, decoded), bytes, name);
    const added = encodePythonSource(`${decoded.text}y = 2\n`, decoded);
    assert.deepEqual(added, Buffer.concat([bytes, Buffer.from('y = 2\n')]), `${name}: an added line`);
  }
  const latin = decodePythonSource(CASES['latin-1, Emacs style']);
  assert.throws(() => encodePythonSource(`${latin.text}s = "\u20ac"\n`, latin), /cannot hold/, 'a euro sign has no Latin-1 byte');
});

test('mlready check reads a Latin-1 script with its coding line, and --fix keeps it Latin-1', () => {
  const dir = tempDir('mlready-encoding-');
  {
    const file = path.join(dir, 'train.py');
    const original = latin1(
      '# -*- coding: latin-1 -*-\nfrom sklearn.model_selection import train_test_split\n\n# Données réelles\nX_train, X_test = train_test_split(X, test_size=0.2)\n',
    );
    fs.writeFileSync(file, original);
    const checked = runCli(['check', file, '--format', 'json']);
    const findings = JSON.parse(checked.stdout).files[0].findings as { rule: string; line: number }[];
    assert.deepEqual(
      findings.map((f) => `${f.rule}:${f.line}`),
      ['missing-seed:5'],
      checked.stdout,
    );
    const fixed = runCli(['check', file, '--fix']);
    assert.match(fixed.stdout, /Fixed 1 finding/);
    assert.deepEqual(fs.readFileSync(file), latin1(original.toString('latin1').replace('test_size=0.2)', 'test_size=0.2, random_state=42)')));
    execFileSync('python3', ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")', file]);
  }
});

test('random coding lines and bytes decode as importlib.util.decode_source decodes them, or are refused as Python refuses them', async () => {
  const fc = (await import('fast-check')).default;
  // Encodings that give every byte a meaning or refuse it alike in Python and iconv-lite. Not the
  // Windows code pages and CJK encodings: a byte they leave undefined (cp1252's 0x81) Python refuses
  // and iconv-lite reads as the WHATWG Encoding Standard does (U+0081), so mlready reads such a file.
  // Not UTF-16: decode_source decodes it, where the interpreter says "encoding problem: utf-16".
  const encodings = ['utf-8', 'UTF8', 'latin-1', 'Latin_1', 'iso-8859-15', 'koi8-r', 'ascii', 'no-such'];
  const cookie = fc
    .constantFrom(...encodings)
    .chain((name) => fc.constantFrom(`# -*- coding: ${name} -*-`, `# vim: set fileencoding=${name} :`, `#coding=${name}`, `x = 1  # coding: ${name}`));
  const line = fc.oneof(cookie, fc.constantFrom('#!/usr/bin/env python', '', '   ', 'import os', '# a comment'));
  const body = fc.uint8Array({ minLength: 0, maxLength: 24 }).map((bytes) => Buffer.from(bytes.map((b) => (b === 0 ? 0x20 : b))));
  const cases = fc.sample(
    fc
      .tuple(fc.boolean(), line, line, body, fc.constantFrom('\n', '\r\n'))
      .map(([bom, first, second, tail, eol]) =>
        Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(`${first}${eol}${second}${eol}s = "`), tail, Buffer.from(`"${eol}`)]),
      ),
    { numRuns: 600, seed: 20261206 },
  );
  const program = [
    'import importlib.util, json, sys',
    'out = []',
    'for data in json.load(sys.stdin):',
    '    try:',
    '        out.append(importlib.util.decode_source(bytes.fromhex(data)))',
    '    except (SyntaxError, UnicodeDecodeError, LookupError):',
    '        out.append(None)',
    'print(json.dumps(out))',
  ].join('\n');
  const python = JSON.parse(
    execFileSync('python3', ['-c', program], { input: JSON.stringify(cases.map((bytes) => bytes.toString('hex'))), encoding: 'utf8' }),
  ) as (string | null)[];
  let decoded = 0;
  cases.forEach((bytes, index) => {
    const expected = python[index];
    const label = `${bytes.toString('hex')} (${JSON.stringify(bytes.toString('latin1'))})`;
    if (expected === null) {
      assert.throws(() => decodePythonSource(bytes), FileReadError, `Python refuses ${label}`);
      return;
    }
    decoded++;
    assert.equal(withUniversalNewlines(decodePythonSource(bytes).text).replaceAll('\r\n', '\n'), expected.replace(/^\ufeff/, ''), label);
  });
  assert.ok(decoded > 100, `${decoded} of ${cases.length} decoded`);
});
