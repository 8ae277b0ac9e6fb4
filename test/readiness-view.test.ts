// The tree the "Production Readiness" view shows, computed from the fixture projects' reports
// with the same pure function the view uses (client/src/readiness/tree-model.ts).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createEngine, type Engine } from '../server/src/engine/index';
import { computeReadiness, type ReadinessReport } from '../server/src/engine/readiness/index';
import {
  buildTree,
  openItems,
  STATUS_ICONS,
  statusBarText,
  viewDescription,
  walk,
  type CategoryNode,
  type EvidenceNode,
  type ItemNode,
} from '../client/src/readiness/tree-model';

const fixtures = path.join(__dirname, 'fixtures', 'readiness');
const reports = new Map<string, ReadinessReport>();
let engine: Engine;

before(async () => {
  engine = await createEngine();
  for (const name of ['bare', 'halfway', 'production']) reports.set(name, await computeReadiness(path.join(fixtures, name), engine));
});

function items(nodes: ReturnType<typeof buildTree>): ItemNode[] {
  return [...walk(nodes)].filter((node): node is ItemNode => node.kind === 'item');
}

test('one node per category, with its percentage, and one child per item in checklist order', () => {
  for (const [name, report] of reports) {
    const tree = buildTree(report);
    const categories = tree.filter((node): node is CategoryNode => node.kind === 'category');
    assert.deepEqual(
      categories.map((c) => c.categoryId),
      report.categories.map((c) => c.id),
      name,
    );
    for (const [index, node] of categories.entries()) {
      const category = report.categories[index];
      assert.equal(node.label, category.title);
      assert.ok(node.description?.startsWith(category.score === null ? 'n/a' : `${category.score}%`), `${name}/${category.id}: ${node.description}`);
      assert.deepEqual(
        node.children.map((child) => (child as ItemNode).itemId),
        category.items.map((item) => item.id),
      );
    }
  }
});

test('items carry a status icon, the why in the tooltip, and menus for the actions they allow', () => {
  for (const [name, report] of reports) {
    const byId = new Map(report.categories.flatMap((c) => c.items).map((item) => [item.id, item]));
    for (const node of items(buildTree(report))) {
      const item = byId.get(node.itemId)!;
      assert.deepEqual(node.icon, STATUS_ICONS[item.status], `${name}/${item.id}`);
      assert.ok(node.tooltip?.includes(item.why), 'the why is in the tooltip');
      const flags = node.contextValue.split(' ');
      assert.equal(flags[0], 'readinessItem');
      assert.equal(flags.includes('canScaffold'), Boolean(item.action?.command), `${item.id} scaffold`);
      assert.equal(flags.includes('canOpenRule'), Boolean(item.action?.rule || item.action?.url), `${item.id} rule`);
      assert.equal(flags.includes('canAttest'), item.attestable && (item.status === 'fail' || item.status === 'partial'), `${item.id} attest`);
      if (item.action?.rule && !item.action.url) assert.equal(node.rule, item.action.rule, 'the rule whose bundled page opens');
      assert.equal(node.children.length, item.evidence.length);
    }
  }
});

test('the bare project: mostly open items; notebook evidence opens the cell', () => {
  const report = reports.get('bare')!;
  const nodes = items(buildTree(report));
  assert.ok(nodes.filter((n) => n.status === 'fail').length >= 20, 'a bare notebook project leaves most items open');
  const scaffolds = nodes.filter((n) => n.command?.startsWith('mlready.scaffold.'));
  assert.ok(scaffolds.length > 5, 'scaffold commands are offered');
  const seeds = nodes.find((n) => n.itemId === 'repro-seeds')!;
  assert.equal(seeds.status, 'fail');
  const cellEvidence = seeds.children.find((child) => (child as EvidenceNode).open.cell !== undefined) as EvidenceNode;
  assert.ok(cellEvidence, 'the missing-seed finding in the notebook is evidence');
  assert.equal(cellEvidence.open.path, 'churn.ipynb');
  assert.equal(typeof cellEvidence.open.cell, 'number');
  // Named as VS Code shows the cell: churn.ipynb opens with a markdown cell, so code cell k is "Cell k+2".
  const evidence = seeds.children.indexOf(cellEvidence);
  const source = report.categories.flatMap((c) => c.items).find((i) => i.id === 'repro-seeds')!.evidence[evidence];
  assert.equal(cellEvidence.label, `churn.ipynb, Cell ${(cellEvidence.open.cell ?? 0) + 2}, line ${source.line}`);
  assert.match(cellEvidence.description ?? '', /missing-seed/);
  assert.equal(cellEvidence.icon?.id, 'notebook');
  assert.equal(statusBarText(report), `$(checklist) Readiness ${report.score}`);
  assert.ok(report.score < 30);
});

test('the half-way project: partial items and evidence that opens files at the line', () => {
  const report = reports.get('halfway')!;
  const tree = buildTree(report);
  const nodes = items(tree);
  assert.ok(nodes.some((n) => n.status === 'partial'));
  assert.ok(nodes.some((n) => n.status === 'pass'));
  const metrics = nodes.find((n) => n.itemId === 'problem-success-metrics')!;
  assert.equal(metrics.status, 'partial');
  assert.deepEqual(STATUS_ICONS.partial, metrics.icon);
  const readme = metrics.children[0] as EvidenceNode;
  assert.equal(readme.open.path, 'README.md');
  assert.ok(readme.open.line >= 1);
  assert.equal(readme.open.cell, undefined);
  assert.equal(readme.label, `README.md:${readme.open.line}`);
  assert.equal(viewDescription(report), `${report.score} · ${report.band}`);
  // Ids are unique (the view keeps expansion state by them).
  const ids = [...walk(tree)].map((node) => node.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('the production project: attested items show the attestation and offer no attest action', () => {
  const report = reports.get('production')!;
  const nodes = items(buildTree(report));
  const attested = nodes.filter((n) => n.status === 'attested');
  assert.deepEqual(attested.map((n) => n.itemId).sort(), ['data-pii-access', 'problem-iterative-expectations', 'serving-batch-vs-realtime']);
  for (const node of attested) {
    assert.deepEqual(node.icon, STATUS_ICONS.attested);
    assert.equal(node.contextValue.includes('canAttest'), false);
    const first = node.children[0] as EvidenceNode;
    assert.equal(first.open.path, 'pyproject.toml');
    assert.match(first.description ?? '', /attested by/);
  }
  assert.ok(report.score > 75);
  assert.ok(openItems(report).length < openItems(reports.get('bare')!).length);
});

test('problems become a node of their own; open items list failures before partial ones', () => {
  const report = structuredClone(reports.get('halfway')!);
  report.problems.push({ path: 'pyproject.toml', line: 7, message: 'unknown readiness item "data-versoned"' });
  const tree = buildTree(report);
  const problems = tree.at(-1)!;
  assert.equal(problems.kind, 'problems');
  assert.equal(problems.children.length, 1);
  assert.equal(problems.children[0].label, 'pyproject.toml:7');
  const open = openItems(report).map(({ item }) => item.status);
  assert.deepEqual(
    open,
    [...open].sort((a, b) => (a === b ? 0 : a === 'fail' ? -1 : 1)),
  );
});
