import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleUrl } from '../engine/index';

/**
 * Where a rule's page is, for diagnostics (`codeDescription.href`), hovers and "Show
 * documentation" outside VS Code: the page shipped beside the server (`dist/docs/rules/<rule>.md`,
 * written by the build), so the link opens offline and describes this version; run from source,
 * the repository's `docs/rules`. Only where neither exists, the page's web address.
 */
export function rulePageUri(rule: string): string {
  let uri = pages.get(rule);
  if (uri === undefined) {
    const directory = /^[a-z0-9-]+$/.test(rule) ? pagesDirectory() : null;
    const file = directory ? path.join(directory, `${rule}.md`) : undefined;
    uri = file && fs.existsSync(file) ? pathToFileURL(file).href : ruleUrl(rule);
    pages.set(rule, uri);
  }
  return uri;
}

const pages = new Map<string, string>();
let directory: string | null | undefined;

function pagesDirectory(): string | null {
  directory ??=
    [path.join(__dirname, 'docs', 'rules'), path.resolve(__dirname, '..', '..', '..', 'docs', 'rules')].find((candidate) => fs.existsSync(candidate)) ?? null;
  return directory;
}
