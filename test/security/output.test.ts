import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandbox, cli, FIXABLE } from './helpers';

test('output: text, markdown and github output escape control characters in file names and messages (no terminal escape injection)', async () => {
  const box = sandbox();
  try {
    // A file name that sets the terminal title and rings the bell; a message that quotes code with ESC sequences.
    fs.writeFileSync(path.join(box.root, '\x1b]0;owned\x07evil\x1b[2J.py'), FIXABLE);
    fs.writeFileSync(path.join(box.root, 'quote.py'), 'import pandas as pd\ndf = pd.read_csv("x.csv")\ndf[df.a > 0]["\x1b[31mred\x1b[0m\u202e"] = 1\n');
    for (const format of ['text', 'markdown', 'github']) {
      const { out, err } = await cli(['check', '--format', format, '.'], box.root);
      assert.match(out, /evil/, `${format}: the file is reported`);
      assert.match(out, /chained-assignment/, `${format}: the quoting finding is reported`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(out + err, /[\x00-\x08\x0b-\x1f\x7f\u202e]/, `${format}: a raw control character reaches the terminal`);
      assert.match(out, /\\x1b\]0;owned\\x07evil/, `${format}: shown escaped`);
    }
  } finally {
    box.done();
  }
});
