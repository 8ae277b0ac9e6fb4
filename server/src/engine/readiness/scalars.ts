import { createScanner } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { LineIndex } from '../text';
import type { YamlFile } from './workspace';

/**
 * The scalars of configuration files (YAML, TOML, JSON), each with its key path and line: what
 * the readiness items search for metric targets, SLOs, canary and tracing settings and CI commands.
 * Files come from the workspace, so every walk is iterative and bounded: a crafted file of 400 KB
 * nested 200,000 levels deep overflowed the stack of the recursive walk this replaces (four items
 * then reported "The check failed"), and a 900 KB JSON object of 45,000 keys took 25 s to give
 * each value its line.
 */

export interface ScalarAt {
  path: string;
  doc: number;
  keys: (string | number)[];
  value: string | number | boolean | null;
  line: number;
}

/** Values nested deeper than this are not read: configuration that matters sits near the top. */
export const MAX_SCALAR_DEPTH = 64;
/** Values of one file past this many are not read: a file that holds more is data, not configuration. */
export const MAX_SCALARS_PER_FILE = 20_000;

/** Values read from all of a workspace's configuration files, at most (lm-evaluation-harness: 99,070). */
export const MAX_SCALARS_TOTAL = 400_000;

/** YAML, TOML and JSON files that may configure the project: not lock files, editor settings or TypeScript's. */
export function holdsConfiguration(rel: string): boolean {
  return /\.(ya?ml|toml|json)$/i.test(rel) && !/(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|\.vscode\/.*)$/.test(rel);
}

/** What a walk read, and why it stopped early if it did (said as a problem of the file). */
export interface FileScalars {
  scalars: ScalarAt[];
  stopped?: string;
}

/** Collects one file's scalars, keeping to the bounds above. */
class ScalarSink {
  readonly scalars: ScalarAt[] = [];
  stopped?: string;

  constructor(private readonly rel: string) {}

  get full(): boolean {
    return this.scalars.length >= MAX_SCALARS_PER_FILE;
  }

  /** False when a node at this depth is not read (and says so once). */
  admits(depth: number): boolean {
    if (depth <= MAX_SCALAR_DEPTH) return true;
    this.stopped ??= `values nested deeper than ${MAX_SCALAR_DEPTH} levels were not read`;
    return false;
  }

  /** True while more values may be read, given that `pending` more nodes wait (says once when the file is cut short). */
  reads(pending: number): boolean {
    if (pending === 0) return false;
    if (!this.full) return true;
    this.stopped ??= `only the first ${MAX_SCALARS_PER_FILE.toLocaleString('en-US')} values were read`;
    return false;
  }

  add(doc: number, keys: (string | number)[], value: unknown, line: number): void {
    this.scalars.push({ path: this.rel, doc, keys, value: plainScalar(value), line });
  }

  result(): FileScalars {
    return this.stopped ? { scalars: this.scalars, stopped: this.stopped } : { scalars: this.scalars };
  }
}

function plainScalar(value: unknown): ScalarAt['value'] {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : String(value);
}

/** A node still to read, with the keys that lead to it; `nullAt`: a key without a value, on that line. */
type Pending = { node: unknown; keys: (string | number)[] } | { nullAt: number; keys: (string | number)[] };

/** Every scalar of a parsed YAML file, in document order; a key with no value is a null scalar on the key's line. */
export function yamlScalars(rel: string, file: YamlFile): FileScalars {
  const sink = new ScalarSink(rel);
  file.docs.forEach(({ doc }, docIndex) => {
    const stack: Pending[] = [{ node: doc.contents, keys: [] }];
    while (sink.reads(stack.length)) {
      const pending = stack.pop() as Pending;
      if ('nullAt' in pending) {
        sink.add(docIndex, pending.keys, null, pending.nullAt);
        continue;
      }
      const { node, keys } = pending;
      if (isScalar(node)) sink.add(docIndex, keys, node.value, node.range ? file.lineAt(node.range[0]) : 1);
      if (!(isMap(node) || isSeq(node)) || !sink.admits(keys.length + 1)) continue;
      const children: Pending[] = [];
      if (isSeq(node)) for (const [index, item] of node.items.entries()) children.push({ node: item, keys: [...keys, index] });
      else
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          if (pair.value !== null && pair.value !== undefined) children.push({ node: pair.value, keys: [...keys, key] });
          else {
            const keyNode = pair.key as YamlNode | null;
            children.push({ nullAt: keyNode && 'range' in keyNode && keyNode.range ? file.lineAt(keyNode.range[0]) : 1, keys: [...keys, key] });
          }
        }
      // Depth first in document order: the first child is popped first.
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
    }
  });
  return sink.result();
}

/**
 * Every scalar of a parsed TOML or JSON file, in document order. A value's line is that of the
 * nearest key above it, as `lineOfKey` finds it (asked once per key path, in document order).
 */
export function dataScalars(rel: string, data: unknown, lineOfKey: (key: string) => number): FileScalars {
  const sink = new ScalarSink(rel);
  const stack: { value: unknown; keys: (string | number)[] }[] = [{ value: data, keys: [] }];
  let lastPath: string | undefined;
  let lastLine = 1;
  while (sink.reads(stack.length)) {
    const { value, keys } = stack.pop() as { value: unknown; keys: (string | number)[] };
    const children: [string | number, unknown][] | undefined = Array.isArray(value)
      ? [...value.entries()]
      : value !== null && typeof value === 'object' && !(value instanceof Date) && [null, Object.prototype].includes(Object.getPrototypeOf(value))
        ? Object.entries(value)
        : undefined;
    if (!children) {
      // The items of one array share the line of their key.
      const named = keys.filter((key): key is string => typeof key === 'string');
      const path = named.join('\u0000');
      if (path !== lastPath) {
        lastPath = path;
        lastLine = named.length === 0 ? 1 : lineOfKey(named[named.length - 1]);
      }
      sink.add(0, keys, value, lastLine);
      continue;
    }
    if (!sink.admits(keys.length + 1)) continue;
    for (let index = children.length - 1; index >= 0; index--) stack.push({ value: children[index][1], keys: [...keys, children[index][0]] });
  }
  return sink.result();
}

/** jsonc-parser's token kinds (a const enum, which isolated modules cannot read): `SyntaxKind`. */
export const JSON_TOKENS = { STRING_LITERAL: 10, COLON: 6, END_OF_FILE: 17 } as const;
const { STRING_LITERAL, COLON, END_OF_FILE } = JSON_TOKENS;

/** Where each key of a JSON text first appears as a key (jsonc-parser's scanner, one pass). */
export function jsonKeyLines(text: string): (key: string) => number {
  const lines = new Map<string, number>();
  const scanner = createScanner(text, true);
  let previous: { key: string; line: number } | undefined;
  for (let token = scanner.scan(); token !== END_OF_FILE; token = scanner.scan()) {
    if (token === COLON && previous && !lines.has(previous.key)) lines.set(previous.key, previous.line + 1);
    previous = token === STRING_LITERAL ? { key: scanner.getTokenValue(), line: scanner.getTokenStartLine() } : undefined;
  }
  return (key) => lines.get(key) ?? 1;
}

/**
 * Where each needle appears in a text that holds them in the order they are asked for (TOML keys,
 * which smol-toml gives no positions for; dependencies): searched after where the last one was
 * found, else from the top. The characters searched are bounded (a crafted file could make every
 * search miss and start again from the top); past the bound, needles are placed on line 1.
 */
export function lineFinder(text: string): (needle: string) => number {
  const lines = new LineIndex(text);
  let cursor = 0;
  let budget = 32 * text.length;
  const search = (needle: string, from: number): number => {
    const at = text.indexOf(needle, from);
    budget -= (at < 0 ? text.length : at) - from;
    return at;
  };
  return (needle) => {
    if (budget <= 0) return 1;
    let at = search(needle, cursor);
    if (at < 0 && cursor > 0) at = search(needle, 0);
    if (at < 0) return 1;
    cursor = at + needle.length;
    return lines.position(at).line + 1;
  };
}
