import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GeneratedFile } from './spec';

/**
 * The static part of the generated project: real Python files under `templates/` (compiled,
 * linted and tested as Python by `npm test`), copied verbatim. Only what depends on the data
 * (data_schema.py, config, the contract, README sections, the CI workflow) is generated in
 * TypeScript. The build copies the folder beside the bundle as `dist/scaffold-templates/`.
 */

let cached: string | undefined;

export function templatesDir(): string {
  if (cached) return cached;
  const candidates = [path.join(__dirname, 'templates'), path.join(__dirname, 'scaffold-templates')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'serving', 'app.py')));
  if (!found) throw new Error(`the scaffold templates are missing (looked in ${candidates.join(', ')}): reinstall mlready`);
  cached = found;
  return found;
}

/** The text of one template, by its path in the generated project (`serving/app.py`). */
export function templateText(rel: string): string {
  return fs.readFileSync(path.join(templatesDir(), ...rel.split('/')), 'utf8');
}

/** Templates as generated files; `shared` ones may be written by several scaffolds. */
export function templates(rels: readonly string[], mode: GeneratedFile['mode'] = 'create'): GeneratedFile[] {
  return rels.map((rel) => ({ path: rel, content: templateText(rel), ...(mode === 'create' ? {} : { mode }) }));
}

/** Every template, relative to the templates folder, with forward slashes (for tests and the build). */
export function listTemplates(dir = templatesDir(), prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '__pycache__') continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listTemplates(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}
