import * as path from 'node:path';
import type MarkdownIt from 'markdown-it';

/**
 * The outline of a Markdown (or reStructuredText-like, setext-underlined) document, read with
 * markdown-it rather than patterns: headings with the number of non-empty lines under them, and
 * the labels of list items written as `- **Label**: text` or `- Label: text`, which many model
 * cards use instead of headings. Lines are 1-based.
 */
export interface Outline {
  headings: { line: number; level: number; text: string; body: number }[];
  labels: { line: number; label: string; text: string }[];
}

const DOC_EXTENSIONS = new Set(['.md', '.markdown', '.rst']);

/** Prose documents (Markdown, reStructuredText, a plain README), leaving out changelogs, licences and contribution guides. */
export function isDocument(rel: string): boolean {
  const base = path.posix.basename(rel).toLowerCase();
  if (/^(changelog|changes|history|license|contributing|code_of_conduct|security)(\.|$)/.test(base)) return false;
  return DOC_EXTENSIONS.has(path.posix.extname(base)) || /^readme(\.txt)?$/.test(base);
}

interface Token {
  type: string;
  tag: string;
  map: [number, number] | null;
  content: string;
  children: Token[] | null;
}

/**
 * markdown-it, loaded when a document is first read: its module and parser took 15 ms of the
 * start-up of every `mlready check` and of the server, which read no Markdown until a readiness
 * scan. (Its CommonJS build, which `require` resolves to, exports the class itself.)
 */
let parser: MarkdownIt | undefined;
function markdownParser(): MarkdownIt {
  if (!parser) {
    const loaded = require('markdown-it') as typeof MarkdownIt | { default: typeof MarkdownIt };
    parser = new ('default' in loaded ? loaded.default : loaded)('commonmark');
  }
  return parser;
}

export function outline(text: string): Outline {
  const tokens = markdownParser().parse(text, {}) as Token[];
  const lines = text.split(/\r\n|\r|\n/);
  const headings: Outline['headings'] = [];
  const labels: Outline['labels'] = [];
  const starts: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'heading_open' && token.map) {
      const inline = tokens[i + 1];
      headings.push({ line: token.map[0] + 1, level: Number(token.tag.slice(1)), text: inline?.content.trim() ?? '', body: 0 });
      starts.push(token.map[1]);
    } else if (token.type === 'list_item_open' && token.map) {
      const inline = tokens.slice(i + 1, i + 4).find((t) => t.type === 'inline');
      const label = inline ? itemLabel(inline) : undefined;
      if (label && inline) labels.push({ line: token.map[0] + 1, label, text: inline.content.trim() });
    }
  }
  // Body: non-empty lines from the end of a heading to the start of the next one.
  headings.forEach((heading, index) => {
    const from = starts[index];
    const to = index + 1 < headings.length ? headings[index + 1].line - 1 : lines.length;
    heading.body = lines.slice(from, to).filter((line) => line.trim() !== '').length;
  });
  return { headings, labels };
}

/** `**Intended use**: …`, `**Metrics:** …` → the bold label; `Training data: …` → "Training data"; otherwise none. */
function itemLabel(inline: Token): string | undefined {
  const content = inline.content.trim();
  const bold = /^(\*\*|__)(.+?)\1\s*(:?)\s*\S/.exec(content);
  if (bold && (bold[2].endsWith(':') || bold[3] === ':')) return bold[2].replace(/:\s*$/, '').trim() || undefined;
  const colon = /^([^:*_]{2,60}):\s+\S/.exec(content);
  return colon && !/\/\/$/.test(colon[1]) ? colon[1].trim() : undefined;
}
