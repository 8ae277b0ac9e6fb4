import type { Language, Node, Tree } from 'web-tree-sitter';
import { LineIndex } from './text';
import { TYPES_WITHOUT_FIELDS } from './node-types';
import { type CopyColumns, copyFromMemory, type TreeMemory } from './tree-memory';
import { grown } from './typed-arrays';

/**
 * The syntax tree the engine reads, copied out of tree-sitter in one cursor pass into plain
 * typed arrays (type, range, field, parent, subtree end of every node, in document order).
 *
 * Why: web-tree-sitter's `Node` API writes the node into WebAssembly memory, calls into wasm and
 * allocates a new object for every `.type`, `.parent` or `childForFieldName`, and its `.parent`
 * is found by descending from the root. Rules ask those questions tens of times per node; asked of
 * typed arrays they cost a load each. The profile had tree navigation at about 40% of analysis.
 */
export class SyntaxTree {
  /** Number of nodes; node 0 is the root, node ids are pre-order indices. */
  readonly count: number;

  constructor(
    readonly text: string,
    readonly grammar: Grammar,
    count: number,
    /** Grammar symbol of each node (tree-sitter's `typeId`; 65535 for ERROR). */
    readonly typeIds: Uint16Array,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
    /** Field id under which each node hangs in its parent (0: none). */
    readonly fieldIds: Uint16Array,
    /** Index of each node's parent (-1 for the root). */
    readonly parents: Int32Array,
    /** Index one past each node's last descendant: the children of `i` start at `i + 1`. */
    readonly subtreeEnds: Int32Array,
    /** Nodes the parser inserted to recover from an error (`MISSING`); empty when the tree has no error. */
    private readonly missing: ReadonlySet<number>,
  ) {
    this.count = count;
  }

  /** True when the tree holds ERROR or MISSING nodes (then the next copy walks everything). */
  hasErrors = true;
  /**
   * Nodes tree-sitter says hold an error that the copy cannot see: the error is a hidden MISSING
   * token (a `_newline` the parser inserted between `import a b`), which no cursor visits, so no
   * copied node stands for it. Empty when the tree has no error.
   */
  hiddenErrors: ReadonlySet<number> = new Set();
  /** Nodes taken from the previous copy instead of walked (for tests and the benchmark). */
  reusedNodes = 0;
  /** True when the nodes were read from tree-sitter's memory rather than walked with a cursor (for tests). */
  copiedFromMemory = false;

  get rootNode(): SyntaxNode {
    return new SyntaxNode(this, 0);
  }

  /** True when `other` holds the same nodes: types, spans, fields, shape and the parser's inserted and hidden errors. */
  sameNodes(other: SyntaxTree): boolean {
    if (this.count !== other.count) return false;
    const columns = (tree: SyntaxTree) => [tree.typeIds, tree.starts, tree.ends, tree.fieldIds, tree.parents, tree.subtreeEnds];
    const theirs = columns(other);
    if (!columns(this).every((column, i) => column.subarray(0, this.count).every((value, id) => value === theirs[i][id]))) return false;
    const sameSet = (a: ReadonlySet<number>, b: ReadonlySet<number>) => a.size === b.size && [...a].every((id) => b.has(id));
    return sameSet(this.missing, other.missing) && sameSet(this.hiddenErrors, other.hiddenErrors);
  }

  /** The id of the first child of `id` under the field `fieldId`, or -1 (no node object made). */
  fieldChildId(id: number, fieldId: number): number {
    const { subtreeEnds, fieldIds } = this;
    for (let child = id + 1, end = subtreeEnds[id]; child < end; child = subtreeEnds[child]) if (fieldIds[child] === fieldId) return child;
    return -1;
  }

  node(id: number): SyntaxNode {
    return new SyntaxNode(this, id);
  }

  typeOf(id: number): string {
    return this.grammar.typeNames[this.typeIds[id]] ?? 'ERROR';
  }

  isMissing(id: number): boolean {
    return this.missing.has(id);
  }

  /** The MISSING nodes' ids (see `isMissing`). */
  get missingIds(): ReadonlySet<number> {
    return this.missing;
  }

  /** True when a MISSING node lies among the ids `[from, to)`. */
  hasMissingIn(from: number, to: number): boolean {
    if (this.missing.size === 0) return false;
    if (to - from < this.missing.size) {
      for (let i = from; i < to; i++) if (this.missing.has(i)) return true;
      return false;
    }
    for (const id of this.missing) if (id >= from && id < to) return true;
    return false;
  }

  /** Row and column (UTF-16 code units) of an offset, from a line index built on first use. */
  pointAt(offset: number): { row: number; column: number } {
    const { line, column } = (this.lines ??= new LineIndex(this.text)).position(offset);
    return { row: line, column };
  }

  /** Shares a line index the caller built for the same text (the analysis builds one anyway). */
  useLineIndex(lines: LineIndex): void {
    if (lines.text === this.text) this.lines ??= lines;
  }

  private lines: LineIndex | undefined;
}

/**
 * A node of a `SyntaxTree`: the part of web-tree-sitter's `Node` interface the engine uses, read
 * from the arrays. Objects are cheap and not unique: compare nodes with `equals` or by `id`.
 */
export class SyntaxNode {
  constructor(
    readonly tree: SyntaxTree,
    readonly id: number,
  ) {}

  get typeId(): number {
    return this.tree.typeIds[this.id];
  }

  get type(): string {
    return this.tree.typeOf(this.id);
  }

  get isNamed(): boolean {
    return this.tree.grammar.named[this.tree.typeIds[this.id]] === 1;
  }

  get isError(): boolean {
    return this.tree.typeIds[this.id] === ERROR_TYPE_ID;
  }

  get isMissing(): boolean {
    return this.tree.isMissing(this.id);
  }

  /**
   * True when this node or a descendant is an ERROR or MISSING node. (tree-sitter itself answers
   * false for an ERROR leaf, a skipped character; here it is true.)
   */
  get hasError(): boolean {
    const { typeIds, subtreeEnds, hiddenErrors } = this.tree;
    if (hiddenErrors.size > 0 && hiddenErrors.has(this.id)) return true;
    const end = subtreeEnds[this.id];
    // An ERROR node among the subtree's type ids (a large subtree by the typed array's native
    // search), then the (few) MISSING ones.
    if (end - this.id <= 64) {
      for (let i = this.id; i < end; i++) if (typeIds[i] === ERROR_TYPE_ID) return true;
    } else if (typeIds.subarray(this.id, end).indexOf(ERROR_TYPE_ID) !== -1) return true;
    return this.tree.hasMissingIn(this.id, end);
  }

  get startIndex(): number {
    return this.tree.starts[this.id];
  }

  get endIndex(): number {
    return this.tree.ends[this.id];
  }

  get startPosition(): { row: number; column: number } {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): { row: number; column: number } {
    return this.tree.pointAt(this.endIndex);
  }

  get text(): string {
    return this.tree.text.slice(this.tree.starts[this.id], this.tree.ends[this.id]);
  }

  get parent(): SyntaxNode | null {
    const parent = this.tree.parents[this.id];
    return parent === -1 ? null : new SyntaxNode(this.tree, parent);
  }

  get childCount(): number {
    let count = 0;
    for (let child = this.id + 1, end = this.tree.subtreeEnds[this.id]; child < end; child = this.tree.subtreeEnds[child]) count++;
    return count;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get children(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const { subtreeEnds } = this.tree;
    for (let child = this.id + 1, end = subtreeEnds[this.id]; child < end; child = subtreeEnds[child]) out.push(new SyntaxNode(this.tree, child));
    return out;
  }

  get namedChildren(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const { subtreeEnds, typeIds } = this.tree;
    const named = this.tree.grammar.named;
    for (let child = this.id + 1, end = subtreeEnds[this.id]; child < end; child = subtreeEnds[child]) {
      if (named[typeIds[child]] === 1) out.push(new SyntaxNode(this.tree, child));
    }
    return out;
  }

  child(index: number): SyntaxNode | null {
    const { subtreeEnds } = this.tree;
    let n = 0;
    for (let child = this.id + 1, end = subtreeEnds[this.id]; child < end; child = subtreeEnds[child]) {
      if (n++ === index) return new SyntaxNode(this.tree, child);
    }
    return null;
  }

  namedChild(index: number): SyntaxNode | null {
    const { subtreeEnds, typeIds } = this.tree;
    const named = this.tree.grammar.named;
    let n = 0;
    for (let child = this.id + 1, end = subtreeEnds[this.id]; child < end; child = subtreeEnds[child]) {
      if (named[typeIds[child]] === 1 && n++ === index) return new SyntaxNode(this.tree, child);
    }
    return null;
  }

  get firstChild(): SyntaxNode | null {
    return this.child(0);
  }

  get lastChild(): SyntaxNode | null {
    const children = this.children;
    return children.length > 0 ? children[children.length - 1] : null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChild(0);
  }

  get lastNamedChild(): SyntaxNode | null {
    const children = this.namedChildren;
    return children.length > 0 ? children[children.length - 1] : null;
  }

  get nextSibling(): SyntaxNode | null {
    const parent = this.tree.parents[this.id];
    const next = this.tree.subtreeEnds[this.id];
    return parent !== -1 && next < this.tree.subtreeEnds[parent] ? new SyntaxNode(this.tree, next) : null;
  }

  get previousSibling(): SyntaxNode | null {
    const parent = this.tree.parents[this.id];
    if (parent === -1) return null;
    let previous = -1;
    for (let child = parent + 1; child < this.id; child = this.tree.subtreeEnds[child]) previous = child;
    return previous === -1 ? null : new SyntaxNode(this.tree, previous);
  }

  get nextNamedSibling(): SyntaxNode | null {
    for (let sibling = this.nextSibling; sibling; sibling = sibling.nextSibling) if (sibling.isNamed) return sibling;
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    for (let sibling = this.previousSibling; sibling; sibling = sibling.previousSibling) if (sibling.isNamed) return sibling;
    return null;
  }

  /** The first child under field `name` (`function` of a call, `left` of an assignment). */
  childForFieldName(name: string): SyntaxNode | null {
    const field = this.tree.grammar.fieldIds.get(name);
    if (field === undefined) return null;
    const child = this.tree.fieldChildId(this.id, field);
    return child < 0 ? null : new SyntaxNode(this.tree, child);
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.grammar.fieldIds.get(name);
    const out: SyntaxNode[] = [];
    if (field === undefined) return out;
    const { subtreeEnds, fieldIds } = this.tree;
    for (let child = this.id + 1, end = subtreeEnds[this.id]; child < end; child = subtreeEnds[child]) {
      if (fieldIds[child] === field) out.push(new SyntaxNode(this.tree, child));
    }
    return out;
  }

  /** The field this node hangs under in its parent (`'function'`, `'arguments'` …), or null. */
  get fieldName(): string | null {
    return this.tree.grammar.fieldNames[this.tree.fieldIds[this.id]] ?? null;
  }

  /** Descendants (not this node) of the given types, in document order: a scan of the subtree's slice. */
  descendantsOfType(types: string | readonly string[] | ReadonlySet<string>): SyntaxNode[] {
    const wanted = this.tree.grammar.typeIdSet(typeof types === 'string' ? [types] : types);
    const out: SyntaxNode[] = [];
    const { typeIds, subtreeEnds } = this.tree;
    for (let i = this.id + 1, end = subtreeEnds[this.id]; i < end; i++) if (wanted.has(typeIds[i])) out.push(new SyntaxNode(this.tree, i));
    return out;
  }

  /** True when `other` lies inside this node's subtree (or is this node). */
  contains(other: SyntaxNode): boolean {
    return other.tree === this.tree && other.id >= this.id && other.id < this.tree.subtreeEnds[this.id];
  }

  equals(other: SyntaxNode | null | undefined): boolean {
    return !!other && other.tree === this.tree && other.id === this.id;
  }

  /** Tree-sitter's S-expression: named and MISSING nodes, with field names (for tests and debugging). */
  toString(): string {
    const parts: string[] = [];
    const visit = (node: SyntaxNode, field: string | null): void => {
      if (parts.length > 0) parts.push(' ');
      if (field) parts.push(`${field}: `);
      if (node.isMissing) parts.push(node.isNamed ? `(MISSING ${node.type}` : `(MISSING ${JSON.stringify(node.type)}`);
      else parts.push(`(${node.type}`);
      for (const child of node.children) if (child.isNamed || child.isMissing) visit(child, child.fieldName);
      parts.push(')');
    };
    visit(this, null);
    return parts.join('').replace(/ \)/g, ')');
  }
}

/**
 * Values by node id for one tree, for the caches every rule reads (a call's callee, its
 * arguments): a typed array of slots into a dense list. A `Map` keyed by id did the same, but on
 * a 50,000-line file its look-ups missed the processor's cache and cost twice as much per call
 * as on a 10,000-line one. Ids outside the tree are never stored (`get` answers undefined).
 */
export class NodeTable<V> {
  private readonly slots: Int32Array;
  private readonly values: V[] = [];

  constructor(size: number) {
    this.slots = new Int32Array(size);
  }

  get(id: number): V | undefined {
    const slot = this.slots[id];
    return slot ? this.values[slot - 1] : undefined;
  }

  set(id: number, value: V): void {
    if (id < 0 || id >= this.slots.length) return;
    const slot = this.slots[id];
    if (slot) this.values[slot - 1] = value;
    else this.slots[id] = this.values.push(value);
  }
}

/** Every cache made by `perTreeCache`, so that `forgetTreeCaches` finds them all. */
const treeCaches: WeakMap<SyntaxTree, unknown>[] = [];

/**
 * A cache of what rules read of a tree (a call's arguments, a loop body's flows). The server keeps
 * a document's tree until the next edit (the next copy reuses it), so such caches are emptied when
 * an analysis ends (`forgetTreeCaches`): kept with the tree, their objects would survive the
 * collection after each analysis for nothing.
 */
export function perTreeCache<V>(): WeakMap<SyntaxTree, V> {
  const cache = new WeakMap<SyntaxTree, V>();
  treeCaches.push(cache);
  return cache;
}

/** Empties every `perTreeCache` of `tree`. */
export function forgetTreeCaches(tree: SyntaxTree): void {
  for (const cache of treeCaches) cache.delete(tree);
}

export const ERROR_TYPE_ID = 65535;

/** What the arrays need from the language: type and field names by id, and which types are named. */
export class Grammar {
  readonly typeNames: readonly string[];
  readonly named: Uint8Array;
  readonly fieldNames: readonly (string | null)[];
  readonly fieldIds = new Map<string, number>();
  private readonly idsByName = new Map<string, number[]>();
  private readonly idSets = new Map<string, ReadonlySet<number>>();
  private readonly idSetsBySet = new WeakMap<ReadonlySet<string>, ReadonlySet<number>>();

  constructor(language: Language) {
    this.typeNames = language.types.map((name) => name ?? '');
    this.named = new Uint8Array(65536);
    for (let id = 0; id < this.typeNames.length; id++) {
      if (language.nodeTypeIsNamed(id)) {
        this.named[id] = 1;
        const name = this.typeNames[id];
        let ids = this.idsByName.get(name);
        if (!ids) this.idsByName.set(name, (ids = []));
        ids.push(id);
      }
    }
    this.named[ERROR_TYPE_ID] = 1;
    this.idsByName.set('ERROR', [ERROR_TYPE_ID]);
    this.fieldNames = language.fields;
    language.fields.forEach((name, id) => {
      if (name) this.fieldIds.set(name, id);
    });
  }

  /** Size of a table indexed by `slotOf(typeId)`: one slot per symbol, the last one for ERROR. */
  get slotCount(): number {
    return this.typeNames.length + 1;
  }

  /** Index of a type id in a dense per-type table (ERROR's id, 65535, maps to the last slot). */
  slotOf(typeId: number): number {
    return typeId === ERROR_TYPE_ID ? this.typeNames.length : typeId;
  }

  /** A dense table from slot to type name, for the named types in `types` (built once per list). */
  typeTable(types: readonly string[]): readonly (string | undefined)[] {
    const key = types.join(',');
    let table = this.typeTables.get(key);
    if (!table) {
      table = new Array<string | undefined>(this.slotCount).fill(undefined);
      for (const type of types) for (const id of this.idsOf(type)) table[this.slotOf(id)] = type;
      this.typeTables.set(key, table);
    }
    return table;
  }

  private readonly typeTables = new Map<string, (string | undefined)[]>();

  /**
   * 1 for the types whose children may hang under a field: every type but TYPES_WITHOUT_FIELDS, so
   * ERROR and any id the list does not name are always asked.
   */
  fieldBearingTypes(): Uint8Array {
    if (!this.fieldBearing) {
      const without = this.typeFlags(TYPES_WITHOUT_FIELDS);
      this.fieldBearing = without.map((flag) => 1 - flag);
    }
    return this.fieldBearing;
  }

  private fieldBearing: Uint8Array | undefined;

  /** A dense table from slot to 1 for the named types in `types`, 0 for the others (built once per list): a test per node in a loop over the type ids. */
  typeFlags(types: readonly string[]): Uint8Array {
    const key = types.join(',');
    let flags = this.flagTables.get(key);
    if (!flags) {
      flags = new Uint8Array(this.slotCount);
      for (const type of types) for (const id of this.idsOf(type)) flags[this.slotOf(id)] = 1;
      this.flagTables.set(key, flags);
    }
    return flags;
  }

  private readonly flagTables = new Map<string, Uint8Array>();

  /** Ids of the named node types called `type` (a grammar may have several symbols per name). */
  idsOf(type: string): readonly number[] {
    return this.idsByName.get(type) ?? [];
  }

  typeIdSet(types: readonly string[] | ReadonlySet<string>): ReadonlySet<number> {
    if (!Array.isArray(types)) {
      // A set of names (rules keep theirs in constants): cached by identity, no key to build.
      const named = types as ReadonlySet<string>;
      let ids = this.idSetsBySet.get(named);
      if (!ids) this.idSetsBySet.set(named, (ids = this.typeIdSet([...named])));
      return ids;
    }
    const key = (types as readonly string[]).join(',');
    let set = this.idSets.get(key);
    if (!set) this.idSets.set(key, (set = new Set(types.flatMap((type) => this.idsOf(type)))));
    return set;
  }
}

/**
 * web-tree-sitter's WebAssembly exports, reached through the Emscripten module object that
 * `Parser.init` fills in. The cursor functions read and write the cursor in the module's transfer
 * buffer, so a walk that only calls them needs no copying between JavaScript and wasm per step
 * (the public `TreeCursor` copies the cursor in and out on every call). Optional: when a
 * web-tree-sitter release renames them, `flatten` falls back to the public API.
 */
export interface WasmCursorExports {
  HEAP32: Int32Array;
  /** Address of the transfer buffer, read once when the parser loads. */
  transferBuffer: number;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
}

export function wasmCursorExports(module: Record<string, unknown>): WasmCursorExports | undefined {
  const names: (keyof WasmCursorExports)[] = [
    '_ts_init',
    '_ts_tree_cursor_goto_first_child_wasm',
    '_ts_tree_cursor_goto_next_sibling_wasm',
    '_ts_tree_cursor_goto_parent_wasm',
    '_ts_tree_cursor_current_node_type_id_wasm',
    '_ts_tree_cursor_current_node_is_missing_wasm',
    '_ts_tree_cursor_start_index_wasm',
    '_ts_tree_cursor_end_index_wasm',
    '_ts_tree_cursor_current_field_id_wasm',
  ];
  if (!names.every((name) => typeof module[name] === 'function') || !(module.HEAP32 instanceof Int32Array)) return undefined;
  const exports = module as unknown as WasmCursorExports;
  // `_ts_init` returns the transfer buffer (and writes the ABI version into it): only call it
  // while no cursor lives there, i.e. now.
  return Object.assign(Object.create(exports) as WasmCursorExports, { transferBuffer: exports._ts_init() });
}

/** Growable columns for the walk. */
class Columns implements CopyColumns {
  typeIds: Uint16Array;
  starts: Uint32Array;
  ends: Uint32Array;
  fieldIds: Uint16Array;
  parents: Int32Array;
  subtreeEnds: Int32Array;

  constructor(capacity: number) {
    this.typeIds = new Uint16Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.fieldIds = new Uint16Array(capacity);
    this.parents = new Int32Array(capacity);
    this.subtreeEnds = new Int32Array(capacity);
  }

  grow(): void {
    const capacity = this.typeIds.length * 2;
    this.typeIds = grown(this.typeIds, capacity);
    this.starts = grown(this.starts, capacity);
    this.ends = grown(this.ends, capacity);
    this.fieldIds = grown(this.fieldIds, capacity);
    this.parents = grown(this.parents, capacity);
    this.subtreeEnds = grown(this.subtreeEnds, capacity);
  }

  finish(text: string, grammar: Grammar, count: number, missing: ReadonlySet<number>): SyntaxTree {
    return new SyntaxTree(
      text,
      grammar,
      count,
      this.typeIds.subarray(0, count),
      this.starts.subarray(0, count),
      this.ends.subarray(0, count),
      this.fieldIds.subarray(0, count),
      this.parents.subarray(0, count),
      this.subtreeEnds.subarray(0, count),
      missing,
    );
  }
}

/**
 * Room for every visible node of `tree`: tree-sitter keeps each subtree's visible descendant count,
 * so asking costs nothing, and it equals the copy's node count (all 1,031 files of diffusers' src).
 * The estimate it replaced (a node per 3 characters) allocated twice the room the copy used, and
 * zero-filling it was 3.6% of a real-code profile. Columns still grow, should a tree with errors
 * copy more nodes than it counts.
 */
function initialCapacity(tree: Tree): number {
  return Math.max(64, tree.rootNode.descendantCount);
}

/**
 * Copies `tree` (parsed from `text`) into a `SyntaxTree` with one pre-order cursor walk. The
 * web-tree-sitter tree is not kept: the caller may delete it afterwards.
 */
export function flatten(
  tree: Tree,
  text: string,
  grammar: Grammar,
  wasm: WasmCursorExports | undefined,
  previous?: PreviousCopy,
  memory?: TreeMemory,
): SyntaxTree {
  // MISSING nodes are only possible in a tree with errors; only then is each node asked.
  const withErrors = tree.rootNode.hasError;
  // An edit's copy reuses the previous copy's statements through the cursor walk; any other
  // error-free tree is read from memory.
  const reusesPrevious = previous !== undefined && !previous.tree.hasErrors;
  if (memory && !withErrors && !reusesPrevious) {
    const fromMemory = flattenFromMemory(tree, text, grammar, memory);
    if (fromMemory) return fromMemory;
  }
  const copy = wasm ? flattenThroughExports(tree, text, grammar, wasm, withErrors, previous) : flattenThroughCursor(tree, text, grammar, withErrors);
  if (withErrors) copy.hiddenErrors = hiddenErrorsOf(tree, copy);
  return copy;
}

/** The copy of an error-free tree read from wasm memory (see tree-memory.ts), or undefined when the reader declines it. */
function flattenFromMemory(tree: Tree, text: string, grammar: Grammar, memory: TreeMemory): SyntaxTree | undefined {
  const columns = new Columns(initialCapacity(tree));
  let count: number;
  try {
    count = copyFromMemory(memory, tree, columns);
  } catch {
    // (Nothing in the walk is known to throw; whatever might is a reason to walk the tree instead.)
    return undefined;
  }
  if (count < 0) return undefined;
  const copy = columns.finish(text, grammar, count, new Set());
  copy.hasErrors = false;
  copy.copiedFromMemory = true;
  return copy;
}

/**
 * The copied nodes whose error only a hidden MISSING token shows (see `SyntaxTree.hiddenErrors`).
 * Walks tree-sitter's nodes and the copy side by side (both list visible children in document
 * order), descending only into the children tree-sitter says hold an error: a few nodes per error.
 * Iterative, and each "does the copy see an error under this node" is a binary search over the
 * copy's ERROR and MISSING ids: a crafted file nests tens of thousands of brackets around its error.
 */
function hiddenErrorsOf(tree: Tree, copy: SyntaxTree): Set<number> {
  const errorIds: number[] = [];
  for (let id = 0; id < copy.count; id++) if (copy.typeIds[id] === ERROR_TYPE_ID || copy.isMissing(id)) errorIds.push(id);
  /** Whether an ERROR or MISSING node of the copy lies in the subtree of `id` (ids `[id, subtreeEnd)`). */
  const copySeesError = (id: number): boolean => {
    let low = 0;
    let high = errorIds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (errorIds[middle] < id) low = middle + 1;
      else high = middle;
    }
    return low < errorIds.length && errorIds[low] < copy.subtreeEnds[id];
  };
  const found = new Set<number>();
  const pending: Array<[Node, number]> = [[tree.rootNode, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, id] = next;
    if (!copySeesError(id)) found.add(id);
    let childId = id + 1;
    for (const child of node.children) {
      if (!child || childId >= copy.subtreeEnds[id]) break;
      if (child.hasError) pending.push([child, childId]);
      childId = copy.subtreeEnds[childId];
    }
  }
  return found;
}

/**
 * What the next copy of an edited document may reuse: the previous copy and the edit between
 * the two texts. Top-level statements wholly before or after the edit, with the same type and
 * text at the same (shifted) place, are taken from the previous copy instead of walked.
 */
export interface PreviousCopy {
  tree: SyntaxTree;
  /** The edit, in UTF-16 offsets: `[start, oldEnd)` of the old text became `[start, newEnd)`. */
  edit: { start: number; oldEnd: number; newEnd: number };
}

function flattenThroughExports(
  tree: Tree,
  text: string,
  grammar: Grammar,
  wasm: WasmCursorExports,
  withErrors: boolean,
  previous: PreviousCopy | undefined,
): SyntaxTree {
  // Counted before the walk starts: asking a node anything writes it into the transfer buffer, where the cursor lives.
  const columns = new Columns(initialCapacity(tree));
  const cursor = tree.walk();
  // The cursor now sits in the transfer buffer; every call below reads and updates it there.
  const address = (tree as unknown as { 0: number })[0];
  const firstChild = wasm._ts_tree_cursor_goto_first_child_wasm;
  const nextSibling = wasm._ts_tree_cursor_goto_next_sibling_wasm;
  const up = wasm._ts_tree_cursor_goto_parent_wasm;
  const typeOf = wasm._ts_tree_cursor_current_node_type_id_wasm;
  const startOf = wasm._ts_tree_cursor_start_index_wasm;
  const endOf = wasm._ts_tree_cursor_end_index_wasm;
  const fieldOf = wasm._ts_tree_cursor_current_field_id_wasm;
  const missingOf = wasm._ts_tree_cursor_current_node_is_missing_wasm;
  const missing = new Set<number>();
  const stack: number[] = [];
  let count = 0;

  /**
   * Copies the node under the cursor and its subtree, leaving the cursor on that node. Inside it,
   * a statement of a block that the edit left alone is taken from the previous copy, not walked.
   */
  const copySubtree = (parentOfRoot: number): void => {
    let parent = parentOfRoot;
    let depth = 0;
    for (;;) {
      const reused = depth > 0 && old && isBlock[grammar.slotOf(columns.typeIds[parent])] === 1 ? reuseStatement(oldInBlocks(), parent) : 0;
      if (reused > 0) {
        count += reused;
        reusedNodes += reused;
      } else {
        if (count === columns.typeIds.length) columns.grow();
        const id = count++;
        columns.typeIds[id] = typeOf(address);
        columns.starts[id] = startOf(address);
        columns.ends[id] = endOf(address);
        // Two nodes in five hang under a parent without fields (`argument_list`, `string`): not asked.
        columns.fieldIds[id] = withErrors || hasFields[grammar.slotOf(columns.typeIds[parent])] === 1 ? fieldOf(address) : 0;
        columns.parents[id] = parent;
        if (withErrors && missingOf(address) === 1) missing.add(id);
        if (firstChild(address) === 1) {
          stack.push(parent);
          parent = id;
          depth++;
          continue;
        }
        columns.subtreeEnds[id] = id + 1;
      }
      for (;;) {
        if (depth === 0) return;
        if (nextSibling(address) === 1) break;
        up(address);
        depth--;
        columns.subtreeEnds[parent] = count;
        parent = stack.pop() as number;
      }
    }
  };

  // Statements of the previous copy that may be reused: only between trees without errors (no
  // MISSING node to ask about, no error recovery that could read the same text differently).
  const old = !withErrors && previous && !previous.tree.hasErrors ? previous.tree : undefined;
  const oldByStart = new Map<number, number>();
  if (old) for (let child = 1; child < old.count; child = old.subtreeEnds[child]) oldByStart.set(old.starts[child], child);
  const edit = previous?.edit;
  const shift = edit ? edit.newEnd - edit.oldEnd : 0;
  let reusedNodes = 0;
  // A training script's `main()` is one top-level statement holding most of the file, so inside
  // the statements the edit touched, the statements of their blocks are reused too: found by
  // their start among the previous copy's block statements near the edit (indexed on first use).
  const isBlock = grammar.typeFlags(['block']);
  const hasFields = grammar.fieldBearingTypes();
  let oldBlockStatements: Map<number, number> | undefined;
  const oldInBlocks = (): Map<number, number> => {
    if (oldBlockStatements) return oldBlockStatements;
    oldBlockStatements = new Map();
    if (!old || !edit) return oldBlockStatements;
    for (let child = 1; child < old.count; child = old.subtreeEnds[child]) {
      if (old.ends[child] < edit.start || old.starts[child] > edit.oldEnd) continue;
      const last = old.subtreeEnds[child];
      for (let i = child + 1; i < last; i++) if (isBlock[grammar.slotOf(old.typeIds[old.parents[i]])] === 1) oldBlockStatements.set(old.starts[i], i);
    }
    return oldBlockStatements;
  };
  /**
   * Copies the node under the cursor from the previous copy when it lies wholly before or after
   * the edit and `candidates` holds a node of its type with its text at its old place and column;
   * returns the number of nodes copied (0: none).
   */
  const reuseStatement = (candidates: ReadonlyMap<number, number>, parent: number): number => {
    if (!old || !edit) return 0;
    const start = startOf(address);
    const end = endOf(address);
    // Wholly before the edit: same place; wholly after it: shifted by the edit's length change.
    const oldStart = end <= edit.start ? start : start >= edit.newEnd ? start - shift : -1;
    const oldIndex = oldStart >= 0 ? candidates.get(oldStart) : undefined;
    if (oldIndex === undefined || old.typeIds[oldIndex] !== typeOf(address)) return 0;
    // The same indentation too (it decides how a statement's lines are read), and only for a statement
    // that begins its line: one after `;` is walked.
    const indentation = indentationBefore(text, start);
    if (indentation < 0 || indentation !== indentationBefore(old.text, oldStart)) return 0;
    return copyFromPrevious(old, oldIndex, start, end, text, columns, count, parent);
  };

  try {
    // The root, then each top-level statement: reused from the previous copy or walked.
    columns.typeIds[0] = typeOf(address);
    columns.starts[0] = startOf(address);
    columns.ends[0] = endOf(address);
    columns.fieldIds[0] = 0;
    columns.parents[0] = -1;
    count = 1;
    if (firstChild(address) === 1) {
      do {
        const reused = reuseStatement(oldByStart, 0);
        if (reused > 0) {
          count += reused;
          reusedNodes += reused;
        } else {
          copySubtree(0);
        }
      } while (nextSibling(address) === 1);
      up(address);
    }
    columns.subtreeEnds[0] = count;
    const copy = columns.finish(text, grammar, count, missing);
    copy.hasErrors = withErrors;
    copy.reusedNodes = reusedNodes;
    return copy;
  } finally {
    // Hand the cursor's final state back to its object so `delete` frees the right stack.
    const transfer = wasm.transferBuffer >> 2;
    const handle = cursor as unknown as Record<number, number>;
    for (let i = 0; i < 4; i++) handle[i] = wasm.HEAP32[transfer + i];
    cursor.delete();
  }
}

/**
 * The number of blanks between the start of `offset`'s line and `offset`, or -1 when something else
 * precedes it on its line. Reads only those blanks: each statement's own indentation, so a file
 * of thousands of `;`-separated statements on one line costs one character per statement, not a
 * scan back to the line's start for each.
 */
function indentationBefore(text: string, offset: number): number {
  let at = offset;
  for (let code = text.charCodeAt(at - 1); code === 32 || code === 9 || code === 12; code = text.charCodeAt(at - 1)) at--;
  if (at === 0) return offset;
  const before = text.charCodeAt(at - 1);
  return before === 10 || before === 13 ? offset - at : -1;
}

/**
 * Copies the statement at `oldIndex` of `old` to `at` under `parent`, shifted to `[start, end)`,
 * when it has the same text there; returns the number of nodes copied (0: nothing copied).
 */
function copyFromPrevious(old: SyntaxTree, oldIndex: number, start: number, end: number, text: string, columns: Columns, at: number, parent: number): number {
  const oldStart = old.starts[oldIndex];
  const oldEnd = old.ends[oldIndex];
  if (oldEnd - oldStart !== end - start || text.slice(start, end) !== old.text.slice(oldStart, oldEnd)) return 0;
  const size = old.subtreeEnds[oldIndex] - oldIndex;
  while (at + size > columns.typeIds.length) columns.grow();
  const shift = start - oldStart;
  const moved = at - oldIndex;
  const last = oldIndex + size;
  columns.typeIds.set(old.typeIds.subarray(oldIndex, last), at);
  columns.fieldIds.set(old.fieldIds.subarray(oldIndex, last), at);
  for (let i = oldIndex, j = at; i < last; i++, j++) {
    columns.starts[j] = old.starts[i] + shift;
    columns.ends[j] = old.ends[i] + shift;
    columns.subtreeEnds[j] = old.subtreeEnds[i] + moved;
    columns.parents[j] = i === oldIndex ? parent : old.parents[i] + moved;
  }
  return size;
}

/** One code cell's copy and the offset of the cell's text in the notebook's program. */
export interface CellSyntax {
  tree: SyntaxTree;
  offset: number;
  /** True when the copy came from a cache rather than a parse (counted in `reusedNodes`). */
  reused?: boolean;
}

/**
 * The notebook's program as one tree from its cells' own trees: a `module` root whose children
 * are each cell's top-level statements in cell order, moved to where the cell sits in `text`.
 *
 * Why cells are parsed one by one: Jupyter compiles each cell on its own, so a bracket left open
 * in one cell is an error of that cell, not a reason to read the next cells as its arguments. And
 * tree-sitter-python reuses little on an incremental reparse (most of its nodes are fragile: the
 * grammar's conflicts), so reparsing the joined program after a one-cell edit cost a third of a
 * full parse; one cell's parse and this copy cost a fraction of that.
 *
 * The root spans what tree-sitter's root would: from the first non-blank character (the text's
 * length when all is blank) to the end of `text`.
 */
export function composeCells(text: string, grammar: Grammar, moduleTypeId: number, cells: readonly CellSyntax[]): SyntaxTree {
  let total = 1;
  for (const { tree } of cells) total += tree.typeIds[0] === moduleTypeId ? tree.count - 1 : tree.count;
  const columns = new Columns(Math.max(total, 1));
  const missing = new Set<number>();
  const hiddenErrors = new Set<number>();
  let hasErrors = false;
  let reusedNodes = 0;
  let rootStart = -1;
  let count = 1;
  for (const { tree, offset, reused } of cells) {
    hasErrors ||= tree.hasErrors;
    // A cell's root is its `module`; its children become the program's. Another root (an ERROR
    // tree-sitter could not fit in a module) becomes a child itself.
    const first = tree.typeIds[0] === moduleTypeId ? 1 : 0;
    const size = tree.count - first;
    if (rootStart < 0 && tree.starts[0] < tree.ends[0]) rootStart = tree.starts[0] + offset;
    if (size === 0) continue;
    const moved = count - first;
    const last = first + size;
    columns.typeIds.set(tree.typeIds.subarray(first, last), count);
    columns.fieldIds.set(tree.fieldIds.subarray(first, last), count);
    for (let i = first, j = count; i < last; i++, j++) {
      columns.starts[j] = tree.starts[i] + offset;
      columns.ends[j] = tree.ends[i] + offset;
      columns.subtreeEnds[j] = tree.subtreeEnds[i] + moved;
      const parent = tree.parents[i];
      columns.parents[j] = parent < first ? 0 : parent + moved;
    }
    if (first === 1) columns.fieldIds[count] = 0;
    for (const id of tree.missingIds) if (id >= first) missing.add(id + moved);
    for (const id of tree.hiddenErrors) hiddenErrors.add(id < first ? 0 : id + moved);
    if (reused) reusedNodes += size;
    count += size;
  }
  columns.typeIds[0] = moduleTypeId;
  columns.starts[0] = rootStart < 0 ? text.length : rootStart;
  columns.ends[0] = text.length;
  columns.fieldIds[0] = 0;
  columns.parents[0] = -1;
  columns.subtreeEnds[0] = count;
  const copy = columns.finish(text, grammar, count, missing);
  copy.hasErrors = hasErrors;
  copy.hiddenErrors = hiddenErrors;
  copy.reusedNodes = reusedNodes;
  return copy;
}

function flattenThroughCursor(tree: Tree, text: string, grammar: Grammar, withErrors: boolean): SyntaxTree {
  const columns = new Columns(initialCapacity(tree));
  const cursor = tree.walk();
  const missing = new Set<number>();
  const stack: number[] = [];
  let parent = -1;
  let count = 0;
  try {
    for (;;) {
      if (count === columns.typeIds.length) columns.grow();
      const id = count++;
      columns.typeIds[id] = cursor.nodeTypeId;
      columns.starts[id] = cursor.startIndex;
      columns.ends[id] = cursor.endIndex;
      columns.fieldIds[id] = cursor.currentFieldId;
      columns.parents[id] = parent;
      if (withErrors && cursor.nodeIsMissing) missing.add(id);
      if (cursor.gotoFirstChild()) {
        stack.push(parent);
        parent = id;
        continue;
      }
      columns.subtreeEnds[id] = id + 1;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return columns.finish(text, grammar, count, missing);
        columns.subtreeEnds[parent] = count;
        parent = stack.pop() as number;
      }
    }
  } finally {
    cursor.delete();
  }
}
