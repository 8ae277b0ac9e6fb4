import type { Engine } from '../index';
import { locate, type Analysis } from '../analyze';
import { parseNotebookJson } from '../notebook';
import { dottedText } from '../semantic';
import type { SyntaxNode } from '../parser';
import { emptyFacts, type FactsProvider, type Located, type PythonFacts } from './facts';

/**
 * Reduces the engine's analysis of one file (one parse, the semantic model, the rule findings)
 * to the facts the readiness checks read. The analysis holds the engine's copy of the tree in
 * plain arrays; tree-sitter's own tree is freed as soon as it was copied.
 */
export class EngineFactsProvider implements FactsProvider {
  constructor(private readonly engine: Engine) {}

  facts(input: { relPath: string; kind: 'script' | 'notebook'; text: string }): PythonFacts {
    try {
      const source = input.kind === 'notebook' ? { path: input.relPath, kind: 'notebook' as const, cells: parseNotebookJson(input.text).cells } : { path: input.relPath, kind: 'script' as const, text: input.text };
      const analysis = this.engine.analyze(source);
      return extractFacts(this.engine, analysis);
    } catch (error) {
      return emptyFacts(input.relPath, input.kind, error instanceof Error ? error.message : String(error));
    }
  }
}

const STATEMENT_TYPES = ['string', 'assert_statement', 'raise_statement', 'try_statement'];

export function extractFacts(engine: Engine, analysis: Analysis): PythonFacts {
  const { model } = analysis;
  const facts = emptyFacts(analysis.path, analysis.kind);
  const where = (node: SyntaxNode): Located => {
    const placed = locate(node.startIndex, node.startIndex, analysis.lines, analysis.notebook);
    return placed.cell === undefined ? { line: placed.range.start.line + 1 } : { line: placed.range.start.line + 1, cell: placed.cell };
  };
  const nameOf = (node: SyntaxNode | null): string | undefined => (node ? (model.qualifiedName(node) ?? dottedText(node)) : undefined);

  const statements = new Set<number>();
  for (const binding of model.imports) {
    if (statements.has(binding.node.id)) continue;
    statements.add(binding.node.id);
    for (const module of importedModules(binding.node)) facts.imports.push({ ...where(binding.node), module });
  }

  for (const call of model.calls) {
    const fn = call.childForFieldName('function');
    const name = model.callee(call) ?? (fn ? dottedText(fn) : undefined);
    if (!name) continue;
    const args = call.childForFieldName('arguments');
    const keywords: string[] = [];
    const strings: string[] = [];
    for (const arg of args?.namedChildren ?? []) {
      if (!arg) continue;
      if (arg.type === 'keyword_argument') {
        const key = arg.childForFieldName('name')?.text;
        if (key) keywords.push(key);
        const value = arg.childForFieldName('value');
        if (value?.type === 'string') strings.push(stringValue(value));
      } else if (arg.type === 'string') {
        strings.push(stringValue(arg));
      }
    }
    facts.calls.push({ ...where(call), name, method: name.slice(name.lastIndexOf('.') + 1), keywords, strings });
  }

  for (const cls of model.classes) {
    const name = cls.childForFieldName('name')?.text;
    if (!name) continue;
    const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? [])
      .filter((base): base is SyntaxNode => base !== null && base.type !== 'keyword_argument')
      .map((base) => nameOf(base) ?? base.text);
    facts.classes.push({ ...where(cls), name, bases });
  }

  for (const fn of model.functions) {
    const name = fn.childForFieldName('name')?.text;
    if (!name) continue;
    const decorators: { name: string; strings: string[] }[] = [];
    if (fn.parent?.type === 'decorated_definition') {
      for (const decorator of fn.parent.namedChildren) {
        if (decorator?.type !== 'decorator') continue;
        const expr = decorator.namedChild(0);
        if (!expr) continue;
        if (expr.type === 'call') {
          const strings = (expr.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is SyntaxNode => arg?.type === 'string').map(stringValue);
          decorators.push({ name: nameOf(expr.childForFieldName('function')) ?? expr.text, strings });
        } else {
          decorators.push({ name: nameOf(expr) ?? expr.text, strings: [] });
        }
      }
    }
    facts.functions.push({ ...where(fn), name, decorators });
  }

  for (const assignment of model.assignments) {
    facts.names.push({ ...where(assignment.statement), name: assignment.name.slice(assignment.name.lastIndexOf('.') + 1) });
  }

  for (const node of model.root.descendantsOfType(STATEMENT_TYPES)) {
    switch (node.type) {
      case 'string':
        if (node.parent?.type !== 'concatenated_string' || node.parent.firstNamedChild?.id === node.id) {
          const value = node.parent?.type === 'concatenated_string' ? node.parent.namedChildren.map((part) => (part?.type === 'string' ? stringValue(part) : '')).join('') : stringValue(node);
          facts.strings.push({ ...where(node), value });
        }
        break;
      case 'assert_statement':
        facts.asserts.push(where(node));
        break;
      case 'raise_statement':
        facts.raises.push(where(node));
        break;
      case 'try_statement':
        facts.tryCount++;
        break;
    }
  }

  for (const finding of analysis.findings) {
    const located: Located = finding.cell === undefined ? { line: finding.range.start.line + 1 } : { line: finding.range.start.line + 1, cell: finding.cell };
    facts.findings.push({ ...located, rule: finding.rule, message: finding.message });
  }
  return facts;
}

/** `import a.b as c, d` → a.b, d; `from a.b import c, d as e` → a.b.c, a.b.d; `from a import *` → a. */
function importedModules(node: SyntaxNode): string[] {
  if (node.type === 'import_statement') {
    return node.namedChildren.flatMap((child) => {
      if (child?.type === 'dotted_name') return [child.text];
      if (child?.type === 'aliased_import') return [child.childForFieldName('name')?.text ?? ''];
      return [];
    }).filter(Boolean);
  }
  if (node.type === 'future_import_statement') return ['__future__'];
  const module = node.childForFieldName('module_name')?.text;
  if (!module || module.startsWith('.')) return [];
  const names = node.childrenForFieldName('name').flatMap((child) => {
    if (child?.type === 'dotted_name') return [child.text];
    if (child?.type === 'aliased_import') return [child.childForFieldName('name')?.text ?? ''];
    return [];
  }).filter(Boolean);
  return names.length === 0 ? [module] : names.map((name) => `${module}.${name}`);
}

/** The content of a string literal without quotes or prefix; interpolations of f-strings are dropped. */
function stringValue(node: SyntaxNode): string {
  return node.namedChildren
    .filter((child): child is SyntaxNode => child !== null && (child.type === 'string_content' || child.type === 'escape_sequence'))
    .map((child) => child.text)
    .join('');
}
