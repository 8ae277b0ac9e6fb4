// The extension's package.json against the code: settings the settings UI lists per rule, and
// the commands the server declares are contributed (with titles) or hidden from the palette.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/engine';
import { FIX_ALL_COMMAND, SCAFFOLD_COMMANDS, SHOW_RULE_DOCUMENTATION_COMMAND } from '../server/src/protocol';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

test('mlready.severity lists every rule for the settings UI, with the severities the server accepts', () => {
  const severity = manifest.contributes.configuration.properties['mlready.severity'];
  assert.deepEqual(Object.keys(severity.properties).sort(), RULES.map((rule) => rule.name).sort(), 'regenerate the per-rule properties of mlready.severity');
  for (const [name, property] of Object.entries<{ enum: string[] }>(severity.properties)) {
    assert.deepEqual(property.enum, ['error', 'warning', 'info', 'hint', 'off'], name);
  }
});

test('every command the server declares is contributed', () => {
  const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  for (const command of [...SCAFFOLD_COMMANDS, FIX_ALL_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND]) assert.ok(contributed.has(command), command);
});
