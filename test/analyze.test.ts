import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createEngine, defineRule, RULES, type Rule } from '../server/src/engine/index';

const throwing: Rule = defineRule({
  name: 'always-throws',
  category: 'data',
  severity: 'warning',
  summary: 'A rule with a bug, to show the others are isolated from it.',
  docs: { what: 'x', why: 'x', example: 'x', useInstead: 'x' },
  create(context) {
    return {
      call(node) {
        context.report({ node, message: 'reported before the crash' });
        throw new Error('boom');
      },
    };
  },
});

test('a rule that throws is isolated: the other rules still report, the failure is named', async () => {
  const engine = await createEngine();
  const text = 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y)\n';
  const analysis = engine.analyze({ path: 'x.py', kind: 'script', text }, { rules: [...RULES, throwing] });
  assert.deepEqual(analysis.failures, [{ rule: 'always-throws', message: 'boom' }]);
  assert.ok(
    analysis.findings.some((f) => f.rule === 'missing-seed'),
    'other rules still report',
  );
  assert.ok(!analysis.findings.some((f) => f.rule === 'always-throws'), 'a failed rule reports nothing partial');
});

test('a rule whose create() throws is isolated too', async () => {
  const engine = await createEngine();
  const broken: Rule = {
    ...throwing,
    name: 'create-throws',
    create: () => {
      throw new Error('setup failed');
    },
  };
  const analysis = engine.analyze({ path: 'x.py', kind: 'script', text: 'from sklearn.cluster import KMeans\nKMeans()\n' }, { rules: [...RULES, broken] });
  assert.deepEqual(analysis.failures, [{ rule: 'create-throws', message: 'setup failed' }]);
  assert.ok(analysis.findings.some((f) => f.rule === 'missing-seed'));
});
