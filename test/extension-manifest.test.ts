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

test('object settings are editable in the Settings editor: every property and additionalProperties schema has a simple type', () => {
  // VS Code's Settings editor shows an object setting as a key/value table only when each value
  // schema has a simple `type`; otherwise it offers "Edit in settings.json" (scenario 33 edits it).
  for (const [key, setting] of Object.entries<{ type: string; properties?: object; additionalProperties?: unknown }>(
    manifest.contributes.configuration.properties,
  )) {
    if (setting.type !== 'object' || (!setting.properties && typeof setting.additionalProperties !== 'object')) continue;
    const schemas = [...Object.values(setting.properties ?? {}), ...(typeof setting.additionalProperties === 'object' ? [setting.additionalProperties] : [])];
    for (const schema of schemas as { type?: string }[])
      assert.ok(['string', 'number', 'integer', 'boolean'].includes(schema.type ?? ''), `${key}: ${JSON.stringify(schema)}`);
  }
});

test('every command the server declares is contributed', () => {
  const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  for (const command of [...SCAFFOLD_COMMANDS, FIX_ALL_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND]) assert.ok(contributed.has(command), command);
});

test("the client commands table, package.json and the server agree: every command contributed, registered once, the server ones exactly the server's", async () => {
  // The table's handlers import `vscode`, which only exists inside the editor: here the module is
  // loaded to read its ids and kinds, with `vscode` an empty object (no handler runs). The API
  // suite (test/electron/suite.cjs) checks in a real VS Code that each id is registered.
  const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = Module._load;
  Module._load = (request, ...rest) => (request === 'vscode' ? {} : load(request, ...rest));
  let table: Record<string, { run?: unknown; server?: true }>;
  try {
    table = (await import('../client/src/commands/index')).COMMANDS;
  } finally {
    Module._load = load;
  }
  const { SERVER_COMMANDS } = await import('../server/src/lsp/commands');
  const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command);
  assert.deepEqual(new Set(contributed).size, contributed.length, 'package.json contributes each command once');
  assert.deepEqual([...contributed].sort(), Object.keys(table).sort(), 'package.json contributes.commands and the client table list the same ids');
  const server = Object.keys(table).filter((id) => table[id].server === true);
  assert.deepEqual(server.sort(), [...SERVER_COMMANDS].sort(), 'the table marks as server commands exactly what the server declares');
  for (const [id, spec] of Object.entries(table)) assert.ok(typeof spec.run === 'function' || spec.server === true, `${id} has a handler or is the server's`);
});
