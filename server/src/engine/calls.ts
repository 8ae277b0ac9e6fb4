import { NodeTable, type SyntaxNode } from './parser';
import { type Grammar, perTreeCache } from './syntax';
import type { TextEdit } from './rule';

/** A call's arguments: read once per call from the tree's arrays, and the edit that adds one. */

/** Adds `name=value` to a call's arguments, after the last one, keeping a trailing comma's style. */
export function addKeywordArgument(call: SyntaxNode, name: string, value: string): TextEdit | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const close = args.lastChild;
  if (!close || close.type !== ')') return undefined;
  const named = args.namedChildren.filter((child): child is SyntaxNode => child !== null && child.type !== 'comment');
  if (named.length === 0) return { start: close.startIndex, end: close.startIndex, text: `${name}=${value}` };
  const last = named[named.length - 1];
  const afterLast = last.nextSibling;
  if (afterLast?.type === ',') {
    // One argument per line with a trailing comma (as Black and Ruff's formatter leave a call that
    // does not fit): the new argument gets its own line, indented as the last one, before `)`.
    const text = call.tree.text;
    const closeLine = text.lastIndexOf('\n', close.startIndex - 1) + 1;
    const lastLine = text.lastIndexOf('\n', last.startIndex - 1) + 1;
    const indent = text.slice(lastLine, last.startIndex);
    if (closeLine > afterLast.endIndex && /^[ \t]*$/.test(text.slice(closeLine, close.startIndex)) && /^[ \t]+$/.test(indent)) {
      const lineBreak = text[closeLine - 2] === '\r' ? '\r\n' : '\n';
      return { start: closeLine, end: closeLine, text: `${indent}${name}=${value},${lineBreak}` };
    }
    return { start: afterLast.endIndex, end: afterLast.endIndex, text: ` ${name}=${value},` };
  }
  return { start: last.endIndex, end: last.endIndex, text: `, ${name}=${value}` };
}

/** A call's arguments by kind, read once per call: several rules ask about the same call. */
interface CallArguments {
  positional: readonly SyntaxNode[];
  keywords: ReadonlyMap<string, SyntaxNode>;
  splat: boolean;
}

const NO_POSITIONAL: readonly SyntaxNode[] = Object.freeze([]);
const NO_KEYWORDS: ReadonlyMap<string, SyntaxNode> = new Map();

/** Arguments per call, per tree: several rules ask about the same call. */
const argumentCache = perTreeCache<NodeTable<CallArguments>>();

function callArguments(call: SyntaxNode): CallArguments {
  const tree = call.tree;
  let perTree = argumentCache.get(tree);
  if (!perTree) argumentCache.set(tree, (perTree = new NodeTable(tree.count)));
  let found = perTree.get(call.id);
  if (found) return found;
  // Most calls have no keyword or no positional argument: those share one empty container.
  found = { positional: NO_POSITIONAL, keywords: NO_KEYWORDS, splat: false };
  perTree.set(call.id, found);
  const args = call.childForFieldName('arguments');
  if (!args) return found;
  // Read from the tree's arrays directly: this runs for most calls of every file.
  const { typeIds, subtreeEnds, fieldIds, grammar } = tree;
  const ids = argumentTypeIds(grammar);
  for (let child = args.id + 1, end = subtreeEnds[args.id]; child < end; child = subtreeEnds[child]) {
    const typeId = typeIds[child];
    if (grammar.named[typeId] !== 1 || ids.comment.has(typeId)) continue;
    if (ids.keyword.has(typeId)) {
      let key: string | undefined;
      let value: SyntaxNode | undefined;
      for (let part = child + 1, last = subtreeEnds[child]; part < last; part = subtreeEnds[part]) {
        if (fieldIds[part] === ids.nameField) key = tree.text.slice(tree.starts[part], tree.ends[part]);
        else if (fieldIds[part] === ids.valueField && !value) value = tree.node(part);
      }
      if (key !== undefined && value && !found.keywords.has(key)) {
        if (found.keywords === NO_KEYWORDS) found.keywords = new Map();
        (found.keywords as Map<string, SyntaxNode>).set(key, value);
      }
    } else if (ids.splats.has(typeId)) {
      found.splat = true;
    } else {
      if (found.positional === NO_POSITIONAL) found.positional = [];
      (found.positional as SyntaxNode[]).push(tree.node(child));
    }
  }
  return found;
}

const argumentIds = new WeakMap<
  Grammar,
  { keyword: ReadonlySet<number>; comment: ReadonlySet<number>; splats: ReadonlySet<number>; nameField: number; valueField: number }
>();

function argumentTypeIds(grammar: Grammar): {
  keyword: ReadonlySet<number>;
  comment: ReadonlySet<number>;
  splats: ReadonlySet<number>;
  nameField: number;
  valueField: number;
} {
  let ids = argumentIds.get(grammar);
  if (!ids) {
    ids = {
      keyword: grammar.typeIdSet(['keyword_argument']),
      comment: grammar.typeIdSet(['comment']),
      splats: grammar.typeIdSet(['list_splat', 'dictionary_splat']),
      nameField: grammar.fieldIds.get('name') ?? -1,
      valueField: grammar.fieldIds.get('value') ?? -1,
    };
    argumentIds.set(grammar, ids);
  }
  return ids;
}

/** The keyword argument `name=` of a call, if given. */
export function keywordArgument(call: SyntaxNode, name: string): SyntaxNode | undefined {
  return callArguments(call).keywords.get(name);
}

/** All keyword arguments of a call by name (the first of each name), in source order. */
export function keywordArguments(call: SyntaxNode): ReadonlyMap<string, SyntaxNode> {
  return callArguments(call).keywords;
}

/** Positional arguments of a call (not keywords, not `*args`/`**kwargs`); shared, do not modify. */
export function positionalArguments(call: SyntaxNode): readonly SyntaxNode[] {
  return callArguments(call).positional;
}

/** True when the call passes `*args` or `**kwargs`, which may carry any keyword. */
export function hasSplat(call: SyntaxNode): boolean {
  return callArguments(call).splat;
}

/** `f` in `f(...)`, `obj.f(...)`: the called name's last part. */
export function calledName(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text;
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
}

/** The first positional argument, or the keyword `name=` if given instead. */
export function argument(call: SyntaxNode, index: number, name?: string): SyntaxNode | undefined {
  if (name) {
    const keyword = keywordArgument(call, name);
    if (keyword) return keyword;
  }
  return positionalArguments(call)[index];
}
