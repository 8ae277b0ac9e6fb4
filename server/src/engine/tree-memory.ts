/**
 * The copy of an error-free tree read straight from tree-sitter's structures in WebAssembly memory.
 *
 * The cursor walk through web-tree-sitter's exports (`flattenThroughExports` in syntax.ts) costs
 * about 190 ns per visible node, five or six wasm calls each, and each call rebuilds the cursor
 * from the transfer buffer and the current node from the cursor's stack. Most of a walk's time is
 * spent there rather than in reading the tree: a 50,000-line file's 526,410 visible nodes hang in
 * 928,949 subtrees, and reading those subtrees directly takes a little over half the time.
 *
 * What is read is tree-sitter's internal layout (lib/src/subtree.h, parser.h, tree_cursor.c of the
 * tree-sitter inside web-tree-sitter 0.27.1, whose source map embeds those sources), so it is
 * checked, not trusted: `treeMemory` reads the language's tables only after their counts and
 * every symbol and field name agree with web-tree-sitter's public `Language` API; the parser uses
 * the reader only after `SELF_CHECK_PROGRAM` copies the same from memory as through the cursor
 * (`PythonParser.memoryCopyAgrees`, once when it loads); each copy is kept only when its node
 * count equals the count tree-sitter keeps in the root, and the walk stops at the first subtree
 * outside the memory or past that count. Anything else falls back to the cursor walk, and
 * `test/syntax.test.ts` compares the copy node by node with web-tree-sitter's `Node` API on every
 * corpus program and on mutated programs.
 *
 * Trees with errors are always walked with the cursor: their MISSING and ERROR nodes take rules
 * (error repair, missing leaves) that this reader does not repeat.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { grown } from './typed-arrays';

/** Byte offsets in tree-sitter's structures, for wasm32 (4-byte pointers, little-endian). */
const LAYOUT = {
  language: {
    abiVersion: 0,
    symbolCount: 4,
    aliasCount: 8,
    productionIdCount: 28,
    fieldCount: 32,
    maxAliasSequenceLength: 36, // uint16_t
    symbolNames: 56,
    fieldNames: 60,
    fieldMapSlices: 64, // TSMapSlice { uint16_t index, length }
    fieldMapEntries: 68, // TSFieldMapEntry { uint16_t field_id; uint8_t child_index; bool inherited }
    publicSymbolMap: 76,
    aliasSequences: 84,
  },
  /** `SubtreeHeapData`: a subtree with children, or a leaf too large to be inline. */
  heap: {
    paddingBytes: 4,
    sizeBytes: 16,
    childCount: 36,
    symbol: 40, // uint16_t
    flags: 44, // bit 0 visible, bit 2 extra
    visibleDescendantCount: 56,
    productionId: 66, // uint16_t
    /** The bytes read of a subtree's heap data (up to and including `productionId`). */
    bytesRead: 68,
  },
  /** `SubtreeInlineData`, 8 bytes in the `Subtree` slot itself, when bit 0 of its first byte is set. */
  inline: {
    flags: 0, // bit 0 inline, bit 1 visible, bit 3 extra
    symbol: 1, // uint8_t
    paddingBytes: 6,
    sizeBytes: 7,
  },
  /** A `Subtree` slot is 8 bytes; a parent's children are the slots just before its heap data. */
  subtreeSlot: 8,
} as const;

/** The columns of the engine's copy that the reader fills (syntax.ts's `Columns`). */
export interface CopyColumns {
  typeIds: Uint16Array;
  starts: Uint32Array;
  ends: Uint32Array;
  fieldIds: Uint16Array;
  parents: Int32Array;
  subtreeEnds: Int32Array;
  grow(): void;
}

/** The language's tables, copied out of wasm memory once, and the module whose memory holds the trees. */
export interface TreeMemory {
  readonly module: { HEAP32: Int32Array };
  /** Symbol → the type id nodes report (`ts_language_public_symbol`). */
  readonly publicSymbols: Uint16Array;
  /** `production id × maxAliasSequenceLength + structural child index` → alias symbol (0: none). */
  readonly aliases: Uint16Array;
  readonly maxAliasSequenceLength: number;
  /** `production id × 256 + structural child index` → the child's own (not inherited) field id. */
  readonly fields: Uint16Array;
}

/** Largest structural child index a field map entry can name (`child_index` is a `uint8_t`). */
const CHILD_INDEXES = 256;

/**
 * The language's tables read from wasm memory, or undefined when what is there does not look like
 * the layout above (another web-tree-sitter or ABI): then trees are copied through the cursor.
 */
export function treeMemory(module: Record<string, unknown>, language: Language): TreeMemory | undefined {
  try {
    if (!(module.HEAP32 instanceof Int32Array)) return undefined;
    const address = (language as unknown as { 0: unknown })[0];
    if (typeof address !== 'number' || address <= 0 || address % 4 !== 0) return undefined;
    const buffer = module.HEAP32.buffer;
    const u8 = new Uint8Array(buffer);
    const u16 = new Uint16Array(buffer);
    const u32 = new Uint32Array(buffer);
    const L = LAYOUT.language;
    const word = (offset: number): number => u32[(address + offset) >> 2];
    const symbolCount = word(L.symbolCount);
    const typeCount = symbolCount + word(L.aliasCount);
    const productionIds = word(L.productionIdCount);
    const fieldCount = word(L.fieldCount);
    const maxAliasSequenceLength = u16[(address + L.maxAliasSequenceLength) >> 1];
    if (word(L.abiVersion) !== language.abiVersion || typeCount !== language.nodeTypeCount || fieldCount !== language.fieldCount) return undefined;
    if (productionIds > 65536 || maxAliasSequenceLength > CHILD_INDEXES) return undefined;
    const inMemory = (pointer: number, bytes: number): boolean => pointer > 0 && pointer + bytes <= u8.length;
    const cString = (pointer: number): string | undefined => {
      if (!inMemory(pointer, 1)) return undefined;
      let end = pointer;
      while (end < u8.length && u8[end] !== 0 && end - pointer < 1024) end++;
      return u8[end] === 0 ? Buffer.from(u8.subarray(pointer, end)).toString('latin1') : undefined;
    };
    // The names prove the pointers: every name web-tree-sitter reports must be the one found here.
    const symbolNames = word(L.symbolNames);
    if (!inMemory(symbolNames, typeCount * 4)) return undefined;
    for (let id = 0; id < typeCount; id++) {
      const name = language.types[id];
      if (typeof name === 'string' && cString(u32[(symbolNames >> 2) + id]) !== name) return undefined;
    }
    const fieldNames = word(L.fieldNames);
    if (fieldCount > 0 && !inMemory(fieldNames, (fieldCount + 1) * 4)) return undefined;
    for (let id = 1; id <= fieldCount; id++) if (cString(u32[(fieldNames >> 2) + id]) !== language.fields[id]) return undefined;

    const publicSymbolMap = word(L.publicSymbolMap);
    if (!inMemory(publicSymbolMap, typeCount * 2)) return undefined;
    const publicSymbols = u16.slice(publicSymbolMap >> 1, (publicSymbolMap >> 1) + typeCount);
    const aliasCount = productionIds * maxAliasSequenceLength;
    const aliasSequences = word(L.aliasSequences);
    if (aliasCount > 0 && !inMemory(aliasSequences, aliasCount * 2)) return undefined;
    const aliases = aliasCount > 0 ? u16.slice(aliasSequences >> 1, (aliasSequences >> 1) + aliasCount) : new Uint16Array(0);
    if (publicSymbols.some((id) => id >= typeCount) || aliases.some((id) => id >= typeCount)) return undefined;
    // Production 0 has no alias sequence (`ts_language_alias_at` answers 0 without reading it).
    aliases.fill(0, 0, maxAliasSequenceLength);

    // Each child's own field, as `ts_tree_cursor_current_field_id` finds it: the first entry of the
    // production's field map that names the child and is not inherited.
    const slices = word(L.fieldMapSlices);
    const entries = word(L.fieldMapEntries);
    const fields = new Uint16Array(productionIds * CHILD_INDEXES);
    if (fieldCount > 0) {
      if (!inMemory(slices, productionIds * 4)) return undefined;
      for (let production = 0; production < productionIds; production++) {
        const index = u16[(slices >> 1) + production * 2];
        const length = u16[(slices >> 1) + production * 2 + 1];
        if (length > 0 && !inMemory(entries + (index + length) * 4, 0)) return undefined;
        for (let entry = length - 1; entry >= 0; entry--) {
          const at = entries + (index + entry) * 4;
          const field = u16[at >> 1];
          if (field === 0 || field > fieldCount) return undefined;
          if (u8[at + 3] === 0) fields[production * CHILD_INDEXES + u8[at + 2]] = field;
        }
      }
    }
    return { module: module as { HEAP32: Int32Array }, publicSymbols, aliases, maxAliasSequenceLength, fields };
  } catch {
    return undefined;
  }
}

/** The walk's stack of subtrees being read, one frame per level, growing with the tree's depth. */
class Frames {
  /** Address of the frame's first child slot. */
  children = new Int32Array(256);
  childCount = new Int32Array(256);
  next = new Int32Array(256);
  /** Index among the children that are not extras (what alias sequences and field maps count). */
  structural = new Int32Array(256);
  /** Byte offset of the next child's start. */
  position = new Float64Array(256);
  production = new Int32Array(256);
  /** The copy's id of the nearest visible node: the frame's own node when it is visible. */
  visibleId = new Int32Array(256);
  /** The field a hidden frame passes to its children that have none of their own (0 for visible frames). */
  inherited = new Uint16Array(256);
  visible = new Uint8Array(256);

  grow(): void {
    const size = this.children.length * 2;
    this.children = grown(this.children, size);
    this.childCount = grown(this.childCount, size);
    this.next = grown(this.next, size);
    this.structural = grown(this.structural, size);
    this.position = grown(this.position, size);
    this.production = grown(this.production, size);
    this.visibleId = grown(this.visibleId, size);
    this.inherited = grown(this.inherited, size);
    this.visible = grown(this.visible, size);
  }
}

/**
 * Copies the visible nodes of `tree` (which has no error) into `columns` in pre-order, as the cursor
 * walk does, and returns their number; -1 when the tree is not laid out as expected (the caller then
 * walks it with the cursor). Positions are UTF-16 code units: web-tree-sitter parses strings as
 * UTF-16, two bytes per unit.
 */
export function copyFromMemory(memory: TreeMemory, tree: Tree, columns: CopyColumns): number {
  // `rootNode.id` is the address of the tree's root `Subtree` slot. (Asked before the memory is
  // viewed: it is the walk's only call into wasm, and a call that grew the memory would detach
  // views made earlier.)
  const rootSlot = tree.rootNode.id;
  const buffer = memory.module.HEAP32.buffer;
  const u8 = new Uint8Array(buffer);
  const u16 = new Uint16Array(buffer);
  const u32 = new Uint32Array(buffer);
  const { publicSymbols, aliases, maxAliasSequenceLength, fields } = memory;
  const H = LAYOUT.heap;
  const I = LAYOUT.inline;
  const slotSize = LAYOUT.subtreeSlot;

  // A root is never inline.
  if (rootSlot <= 0 || rootSlot + slotSize > u8.length || (u8[rootSlot] & 1) === 1) return -1;
  const root = u32[rootSlot >> 2];
  if (!(root > 0 && root + H.bytesRead <= u8.length)) return -1;
  const rootPadding = u32[(root + H.paddingBytes) >> 2];
  const rootChildren = u32[(root + H.childCount) >> 2];
  columns.typeIds[0] = publicSymbols[u16[(root + H.symbol) >> 1]];
  columns.starts[0] = rootPadding >> 1;
  columns.ends[0] = (rootPadding + u32[(root + H.sizeBytes) >> 2]) >> 1;
  columns.fieldIds[0] = 0;
  columns.parents[0] = -1;
  columns.subtreeEnds[0] = 1;
  let count = 1;
  if (rootChildren === 0) return count;
  const expected = u32[(root + H.visibleDescendantCount) >> 2] + 1;

  // The frame being read lives in locals; the frames above it wait in `frames` (one load and store per level, not per child).
  const frames = new Frames();
  let children = root - rootChildren * slotSize;
  let childCount = rootChildren;
  let index = 0;
  let structural = 0;
  let position = rootPadding;
  let production = u16[(root + H.productionId) >> 1];
  let visibleId = 0;
  let inherited = 0;
  let frameVisible = 1;
  let depth = 0;
  // Bounds that hold for any tree tree-sitter builds (a visible node per few subtrees, every subtree
  // inside the memory), so memory read wrongly ends the walk, never loops or writes past what the
  // root announced.
  const byteLength = u8.length;
  let visitsLeft = expected * 64 + 4096;
  for (;;) {
    if (--visitsLeft < 0) return -1;
    if (index === childCount) {
      if (frameVisible === 1) columns.subtreeEnds[visibleId] = count;
      if (depth === 0) break;
      depth--;
      children = frames.children[depth];
      childCount = frames.childCount[depth];
      index = frames.next[depth];
      structural = frames.structural[depth];
      position = frames.position[depth];
      production = frames.production[depth];
      visibleId = frames.visibleId[depth];
      inherited = frames.inherited[depth];
      frameVisible = frames.visible[depth];
      continue;
    }
    // The child: inline (a small leaf in the slot itself) or a pointer to its heap data.
    const slot = children + index * slotSize;
    if (!(slot + slotSize <= byteLength)) return -1;
    const first = u8[slot];
    let heap = 0;
    let visible: number;
    let extra: number;
    let symbol: number;
    let size: number;
    let grandchildren = 0;
    if ((first & 1) === 1) {
      visible = (first >> 1) & 1;
      extra = (first >> 3) & 1;
      symbol = u8[slot + I.symbol];
      size = u8[slot + I.sizeBytes];
    } else {
      heap = u32[slot >> 2];
      if (!(heap + H.bytesRead <= byteLength)) return -1;
      const flags = u8[heap + H.flags];
      visible = flags & 1;
      extra = (flags >> 2) & 1;
      symbol = u16[(heap + H.symbol) >> 1];
      size = u32[(heap + H.sizeBytes) >> 2];
      grandchildren = u32[(heap + H.childCount) >> 2];
    }
    const start = position;
    // An extra (a comment) takes no alias and no field, and does not count among structural children.
    let alias = 0;
    let field = 0;
    if (extra === 0) {
      if (structural < maxAliasSequenceLength) alias = aliases[production * maxAliasSequenceLength + structural];
      field = (structural < CHILD_INDEXES ? fields[production * CHILD_INDEXES + structural] : 0) || inherited;
      structural++;
    }
    // The next child starts after this one and its own padding (tree_cursor.c's child iterator).
    position = start + size;
    index++;
    if (index < childCount) {
      const nextSlot = slot + slotSize;
      position += (u8[nextSlot] & 1) === 1 ? u8[nextSlot + I.paddingBytes] : u32[(u32[nextSlot >> 2] + H.paddingBytes) >> 2];
    }

    const isVisible = visible === 1 || alias !== 0;
    let id = visibleId;
    if (isVisible) {
      if (count === expected) return -1;
      if (count === columns.typeIds.length) columns.grow();
      id = count++;
      columns.typeIds[id] = publicSymbols[alias !== 0 ? alias : symbol];
      columns.starts[id] = start / 2;
      columns.ends[id] = (start + size) / 2;
      columns.fieldIds[id] = field;
      columns.parents[id] = visibleId;
      columns.subtreeEnds[id] = id + 1;
    }
    if (grandchildren > 0) {
      // Descend: park this frame, read the child's children.
      if (depth === frames.children.length) frames.grow();
      frames.children[depth] = children;
      frames.childCount[depth] = childCount;
      frames.next[depth] = index;
      frames.structural[depth] = structural;
      frames.position[depth] = position;
      frames.production[depth] = production;
      frames.visibleId[depth] = visibleId;
      frames.inherited[depth] = inherited;
      frames.visible[depth] = frameVisible;
      depth++;
      children = heap - grandchildren * slotSize;
      childCount = grandchildren;
      index = 0;
      structural = 0;
      position = start;
      production = u16[(heap + H.productionId) >> 1];
      visibleId = id;
      // A hidden node's field reaches its children that have none (tree-sitter walks up through hidden nodes).
      inherited = isVisible || extra === 1 ? 0 : field;
      frameVisible = isVisible ? 1 : 0;
    }
  }
  return count === expected ? count : -1;
}

/**
 * A program touching what the reader repeats from tree-sitter: aliases (`match`'s block, a keyword
 * as an identifier), fields inherited through hidden nodes, extras (comments) between children,
 * inline leaves and heap leaves, non-ASCII text. The parser copies it both ways once when it loads
 * and reads trees from memory only when the two copies agree.
 */
export const SELF_CHECK_PROGRAM = [
  '# -*- coding: utf-8 -*-',
  'import numpy as np  # comment after a statement',
  'from . import (a,  # comment inside brackets',
  '    b as c)',
  '@decorator(x=1)',
  'async def f(p: int = 2, *args, k: "str" = "é\u00e9", **kw) -> dict[str, int]:',
  '    """Docstring."""',
  '    global g',
  '    match p:',
  '        case [1, *rest] if rest:  # guard',
  '            return {"k": v async for v in aiter(rest)}',
  '        case {"a": 1, **others} | Point(x=0):',
  '            pass',
  '        case _:',
  '            y = lambda q, /, r=3: q if r else not q',
  '    print(f"{p!r:>{10}} {{x}}", end="")',
  '    with open("p") as h, ctx() as (i, j):',
  '        x[1:2, ::3] = -y ** 2 @ z',
  '    try:',
  '        raise ValueError("v") from None',
  '    except* (TypeError, OSError) as e:',
  '        del e',
  '    finally:',
  '        yield from g()',
  'type Alias[T] = list[T]',
  'class C(Base, metaclass=M):',
  '    attr: int = 0; other = [i for i in range(3) if i]',
  'exec("print(1)")',
  '',
].join('\n');
