import * as path from 'node:path';
import * as fs from 'node:fs';
import { Parser, Language, Query, Edit, type Tree, type Point } from 'web-tree-sitter';
import { AnalysisCache } from './incremental';
import { changedSpan, ownCopy, withUniversalNewlines } from './text';
import { composeCells, flatten, Grammar, wasmCursorExports, type CellSyntax, type PreviousCopy, type SyntaxTree, type WasmCursorExports } from './syntax';
import type { NotebookProgram } from './notebook';
import { SELF_CHECK_PROGRAM, treeMemory, type TreeMemory } from './tree-memory';

export type { Tree, Point } from 'web-tree-sitter';
export { NodeTable, SyntaxNode, SyntaxTree } from './syntax';

/**
 * Loads tree-sitter's Python grammar once per process. The WebAssembly files are found
 * beside the bundle (`dist/`) when bundled, or in `node_modules` when run from source.
 */
let loading: Promise<PythonParser> | undefined;

/**
 * Why tree-sitter's WebAssembly module aborted, once it has: its memory tops out at 2 GB, and 8 MB
 * of one-name statements (4.2 million of them) ran it out. An aborted module parses nothing more
 * in this thread, so a host that analyses many files (a check worker, a readiness thread) ends
 * the thread and goes on in a new one (`parserFailure`).
 */
let failure: string | undefined;

/** Thrown by `PythonParser.parse` when the WebAssembly module aborted, on this file or an earlier one. */
export class ParserFailedError extends Error {
  override name = 'ParserFailedError';
}

/**
 * The most text a long-lived host keeps trees for at once (`TreeCache`), and so the largest document
 * the language server analyses as it is typed (the CLI still checks it). The densest programs
 * measured (`[a,a,…]`) take about 0.75 GB of the module's 2 GB per 4 million characters; the text
 * kept, an incremental reparse's new tree and a fresh parse in `settle` stay below it.
 */
export const MAX_LIVE_CHARS = 4_000_000;

/** Above this much WebAssembly memory, an abort is the allocator's: the module's limit is 2 GB. */
const OUT_OF_MEMORY_BYTES = 1024 * 1024 * 1024;

/** The WebAssembly module's memory now (Emscripten keeps its views current on the module object). */
let wasmHeapBytes = (): number => 0;

/** Lines as an editor counts them (a last line without its newline counts). */
function lineCount(text: string): number {
  let lines = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** Why this thread's parser can no longer parse, or undefined while it can. */
export function parserFailure(): string | undefined {
  return failure;
}

export function loadPythonParser(): Promise<PythonParser> {
  loading ??= createParser();
  return loading;
}

function locate(file: string, pkg: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(`${pkg}/${file}`);
}

async function createParser(): Promise<PythonParser> {
  const runtimeWasm = locate('web-tree-sitter.wasm', 'web-tree-sitter');
  // Emscripten fills this object in as the module: it then holds the wasm exports `flatten` uses.
  const moduleOptions: Record<string, unknown> = {
    locateFile: () => runtimeWasm,
    // The abort becomes the file's error (`parse`); Emscripten would also print "Aborted()" to stderr.
    printErr: (text: string) => {
      if (!text.startsWith('Aborted(')) console.error(text);
    },
  };
  await Parser.init(moduleOptions);
  wasmHeapBytes = () => (moduleOptions.HEAP32 instanceof Int32Array ? moduleOptions.HEAP32.buffer.byteLength : 0);
  const language = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
  const wasm = wasmCursorExports(moduleOptions);
  const memory = treeMemory(moduleOptions, language);
  const parser = new PythonParser(language, wasm, memory);
  // The reader repeats tree-sitter's internals: it is used only if it copies a program touching
  // them exactly as the cursor walk does (another web-tree-sitter build falls back, never misreads).
  return memory && !parser.memoryCopyAgrees() ? parser.withoutMemoryCopy() : parser;
}

export class PythonParser {
  private readonly parser: Parser;
  private readonly queries = new Map<string, Query>();
  readonly grammar: Grammar;

  constructor(
    readonly language: Language,
    private readonly wasm?: WasmCursorExports,
    private readonly memory?: TreeMemory,
  ) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
    this.grammar = new Grammar(language);
  }

  /** True when trees are copied through the wasm exports directly (else through `TreeCursor`). */
  get copiesThroughExports(): boolean {
    return this.wasm !== undefined;
  }

  /** True when error-free trees are read from tree-sitter's memory (see tree-memory.ts). */
  get copiesFromMemory(): boolean {
    return this.memory !== undefined;
  }

  /** True when the copy from memory of `SELF_CHECK_PROGRAM` equals the cursor walk's, array by array (false if anything throws). */
  memoryCopyAgrees(program = SELF_CHECK_PROGRAM): boolean {
    const tree = this.parse(program);
    try {
      return this.copiesAgree(tree, program);
    } catch {
      return false;
    } finally {
      tree.delete();
    }
  }

  /** Whether `tree` (parsed from `program`, without errors) copies the same from memory as through the cursor. */
  private copiesAgree(tree: Tree, program: string): boolean {
    if (tree.rootNode.hasError) return false;
    const fromMemory = this.syntax(tree, program);
    return fromMemory.copiedFromMemory && fromMemory.sameNodes(this.withoutMemoryCopy().syntax(tree, program));
  }

  /** A parser of the same language that copies trees through the cursor exports only (the tests and the self-check compare the two copies). */
  withoutMemoryCopy(): PythonParser {
    if (!this.memory) return this;
    return (this.walkingParser ??= new PythonParser(this.language, this.wasm));
  }

  private walkingParser: PythonParser | undefined;

  /** The engine's copy of `tree` (parsed from `text`, its nodes' text read as `parse` read it); the tree itself may be deleted afterwards. */
  syntax(tree: Tree, text: string, previous?: PreviousCopy): SyntaxTree {
    return flatten(tree, withUniversalNewlines(text), this.grammar, this.wasm, previous, this.memory);
  }

  /** Parses `text` into the engine's tree, freeing tree-sitter's at once. */
  parseSyntax(text: string): SyntaxTree {
    const tree = this.parse(text);
    try {
      return this.syntax(tree, text);
    } finally {
      tree.delete();
    }
  }

  /**
   * The notebook's program as one tree, each code cell parsed on its own (see `composeCells`).
   * `copyOf` gives a cell's copy from its masked text (a cache's); by default the cell is parsed.
   */
  notebookSyntax(program: NotebookProgram, copyOf?: (cellText: string) => { tree: SyntaxTree; reused: boolean }): SyntaxTree {
    const cells: CellSyntax[] = program.cells.map((span) => {
      const cellText = program.text.slice(span.start, span.end);
      const { tree, reused } = copyOf ? copyOf(cellText) : { tree: this.parseSyntax(cellText), reused: false };
      return { tree, offset: span.start, reused };
    });
    return composeCells(program.text, this.grammar, this.moduleTypeId, cells);
  }

  private get moduleTypeId(): number {
    return (this.moduleId ??= this.grammar.idsOf('module')[0]);
  }

  private moduleId: number | undefined;

  /** Parses `text`; with `previous` (already edited to match `text`, see `computeEdit`), reparses incrementally. */
  parse(text: string, previous?: Tree): Tree {
    if (failure) throw new ParserFailedError(`the parser stopped on an earlier file (${failure})`);
    let tree: Tree | null;
    try {
      tree = this.parser.parse(withUniversalNewlines(text), previous ?? null);
    } catch (error) {
      // WebAssembly.RuntimeError (this project's TypeScript libraries do not declare it).
      if (!(error instanceof Error && error.name === 'RuntimeError')) throw error;
      failure =
        wasmHeapBytes() >= OUT_OF_MEMORY_BYTES
          ? `the parser ran out of memory on this file (${lineCount(text).toLocaleString('en-US')} lines): it is too large or too dense to analyse`
          : `the parser failed on this file (${error.message})`;
      throw new ParserFailedError(failure);
    }
    if (!tree) throw new Error('the Python parser returned no tree');
    return tree;
  }

  /** Compiles a query once and keeps it for the life of the process. */
  query(source: string): Query {
    let query = this.queries.get(source);
    if (!query) {
      query = new Query(this.language, source);
      this.queries.set(source, query);
    }
    return query;
  }
}

/** A document's tree; `exact`: the one a parse from scratch gives (parsed so, or reparsed without an error). */
interface TreeEntry {
  text: string;
  tree: Tree;
  exact: boolean;
  syntax?: SyntaxTree;
}

/**
 * Holds one tree per document and reparses incrementally: the change between the old and
 * the new text is found as the differing middle (common prefix and suffix), which covers
 * typing, pasting and notebook cell edits alike. Trees that are replaced or dropped are freed,
 * since WebAssembly memory is not garbage-collected.
 *
 * Tree-sitter's incremental reparse of text with a syntax error may recover from the error
 * otherwise than a parse from scratch: reusing the old tree's nodes, it can keep an error local
 * where a fresh parse wraps the file from its first line in one error node, and the findings then
 * differ from `mlready check`'s (5 trees in 19,055 random edits of huggingface/diffusers that left
 * an error; docs/performance.md, "Incremental trees of text with errors"). Such a tree is marked
 * inexact; `settle` replaces it by a fresh parse, which the language server asks for once the
 * user stops typing.
 *
 * The trees kept hold at most `maxChars` of text between them (`MAX_LIVE_CHARS`): tree-sitter's
 * WebAssembly memory stops at 2 GB, and once it is exhausted the thread's parser is gone
 * (`ParserFailedError`). The densest programs measured take about 0.75 GB of it per 4 million
 * characters, so three such documents open at once exhausted it, and the language server then
 * parsed nothing more. The least recently used trees make room; their documents are parsed from
 * scratch at their next change.
 */
export class TreeCache {
  private readonly entries = new Map<string, TreeEntry>();
  /** The characters of the texts whose trees `entries` holds. */
  private keptChars = 0;
  private readonly analyses = new Map<string, AnalysisCache>();
  /** Per notebook: its cells' copies by masked text (the cells of its last analysis), and the last program's tree. */
  private readonly notebooks = new Map<string, { cells: Map<string, SyntaxTree>; text: string; syntax: SyntaxTree }>();

  constructor(
    private readonly parser: PythonParser,
    private readonly capacity = 200,
    private readonly maxChars = MAX_LIVE_CHARS,
  ) {}

  parse(key: string, text: string): Tree {
    return this.reparse(key, text).tree;
  }

  /** Parses `text` for `key`, incrementally from the cached tree; also says what changed. */
  private reparse(key: string, text: string): { tree: Tree; edit?: Edit } {
    const entry = this.entries.get(key);
    if (entry && entry.text === text) {
      this.touch(key, entry);
      return { tree: entry.tree };
    }
    this.makeRoom(key, text.length);
    let tree: Tree;
    let edit: Edit | undefined;
    let exact = true;
    try {
      if (entry) {
        edit = computeEdit(entry.text, text);
        entry.tree.edit(edit);
        tree = this.parser.parse(text, entry.tree);
        exact = !tree.rootNode.hasError;
      } else {
        tree = this.parser.parse(text);
      }
    } catch (error) {
      this.drop(key); // (its tree was edited for a text it no longer matches)
      throw error;
    }
    this.dropTree(key);
    this.entries.set(key, { text, tree, exact });
    this.keptChars += text.length;
    this.evict();
    return { tree, edit };
  }

  /** True when the document's tree came from an incremental reparse that left a syntax error (see `settle`). */
  needsSettling(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && !entry.exact;
  }

  /**
   * Replaces an inexact tree (an incremental reparse of text with an error) by a parse from
   * scratch. Returns true when the fresh tree differs from the document's copy: the copy and the
   * findings kept for the document, read from the other tree, are dropped, and the document must be
   * analysed again to give what `mlready check` gives for the same text. Either way later edits
   * reparse incrementally from the fresh tree.
   */
  settle(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.exact) return false;
    const tree = this.parser.parse(entry.text);
    entry.tree.delete();
    const syntax = this.parser.syntax(tree, entry.text);
    // (Most inexact trees are the fresh one: all but 5 of 19,055 in random edits of diffusers.)
    const changed = entry.syntax === undefined || !entry.syntax.sameNodes(syntax);
    this.entries.set(key, { text: entry.text, tree, exact: true, syntax: changed ? syntax : entry.syntax });
    if (changed) this.analyses.delete(key);
    return changed;
  }

  /**
   * The engine's copy of the document's tree: reparsed incrementally, then copied reusing the
   * top-level statements of the previous copy that the edit left alone.
   */
  syntax(key: string, text: string, notebook?: NotebookProgram): SyntaxTree {
    if (notebook) return this.notebookSyntax(key, notebook);
    const entry = this.entries.get(key);
    if (entry?.syntax && entry.text === text) {
      this.touch(key, entry);
      return entry.syntax;
    }
    const { tree, edit } = this.reparse(key, text);
    const previous: PreviousCopy | undefined =
      entry?.syntax && edit ? { tree: entry.syntax, edit: { start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex } } : undefined;
    const syntax = this.parser.syntax(tree, text, previous);
    const current = this.entries.get(key);
    if (current) current.syntax = syntax;
    return syntax;
  }

  /**
   * The engine's copy of a notebook's program (`parser.notebookSyntax`): a cell whose text is
   * unchanged since the last analysis is not parsed again. Only the last analysis's cells are kept.
   */
  notebookSyntax(key: string, program: NotebookProgram): SyntaxTree {
    const entry = this.notebooks.get(key);
    if (entry && entry.text === program.text) {
      this.notebooks.delete(key);
      this.notebooks.set(key, entry);
      return entry.syntax;
    }
    const previous = entry?.cells;
    const cells = new Map<string, SyntaxTree>();
    const syntax = this.parser.notebookSyntax(program, (cellText) => {
      let tree = cells.get(cellText) ?? previous?.get(cellText);
      const reused = tree !== undefined;
      // Parsed from its own copy: the copy is kept with the cell while the cell is unchanged.
      tree ??= this.parser.parseSyntax(ownCopy(cellText));
      cells.set(cellText, tree);
      return { tree, reused };
    });
    this.notebooks.delete(key);
    this.notebooks.set(key, { cells, text: program.text, syntax });
    while (this.notebooks.size > this.capacity) this.notebooks.delete(this.notebooks.keys().next().value as string);
    return syntax;
  }

  /** `analyze` options that reuse this document's tree and findings: `engine.analyze(input, { ...trees.document(key) })`. */
  document(key: string): { syntaxTree: (text: string, notebook?: NotebookProgram) => SyntaxTree; cache: AnalysisCache } {
    return { syntaxTree: (text, notebook) => this.syntax(key, text, notebook), cache: this.analysisCache(key) };
  }

  /** The document's findings kept for incremental analysis (`analyze(…, { cache })`); dropped with its tree. */
  analysisCache(key: string): AnalysisCache {
    let cache = this.analyses.get(key);
    if (!cache) this.analyses.set(key, (cache = new AnalysisCache()));
    return cache;
  }

  drop(key: string): void {
    this.analyses.delete(key);
    this.notebooks.delete(key);
    this.dropTree(key);
  }

  /** Frees the document's tree (its findings stay, for the tree that replaces it). */
  private dropTree(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.tree.delete();
      this.entries.delete(key);
      this.keptChars -= entry.text.length;
    }
  }

  /** The characters of text whose trees are kept. */
  get chars(): number {
    return this.keptChars;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private touch(key: string, entry: TreeEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.drop(oldest);
    }
  }

  /** Frees the least recently used other trees until they and `chars` more fit in `maxChars`. */
  private makeRoom(key: string, chars: number): void {
    const own = this.entries.get(key)?.text.length ?? 0;
    while (this.keptChars - own + chars > this.maxChars) {
      let oldest: string | undefined;
      for (const other of this.entries.keys()) {
        if (other !== key) {
          oldest = other;
          break;
        }
      }
      if (oldest === undefined) return;
      this.drop(oldest);
    }
  }
}

/** The edit from `oldText` to `newText` as tree-sitter saw them (`PythonParser.parse` reads lone `\r` as `\n`). */
export function computeEdit(before: string, after: string): Edit {
  const oldText = withUniversalNewlines(before);
  const newText = withUniversalNewlines(after);
  const { start, endBefore: oldEnd, endAfter: newEnd } = changedSpan(oldText, newText);
  const startPosition = pointAt(oldText, start);
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: advance(startPosition, oldText, start, oldEnd),
    newEndPosition: advance(startPosition, newText, start, newEnd),
  });
}

function pointAt(text: string, offset: number): Point {
  return advance({ row: 0, column: 0 }, text, 0, offset);
}

function advance(from: Point, text: string, start: number, end: number): Point {
  let { row, column } = from;
  // Line breaks by the native search: the column counts from the last one.
  let lastBreak = -1;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    row++;
    lastBreak = i;
  }
  column = lastBreak === -1 ? column + (end - start) : end - lastBreak - 1;
  return { row, column };
}
