/**
 * The building blocks every readiness item runs over every call of every file: library matching
 * through an index of each list, and the string pool that the facts of an earlier scan go through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchesAny } from '../server/src/engine/readiness/detect';
import { StringPool } from '../server/src/engine/text';

/** What `matchesAny` answers, written as the definition: the first library the module is, or is inside. */
const firstContaining = (module: string, libs: readonly string[]): string | undefined => libs.find((lib) => module === lib || module.startsWith(`${lib}.`));

test('matchesAny answers the first library of the list that the module is or is inside', () => {
  const libs = ['sklearn.metrics', 'sklearn', 'torch', 'torch.nn', 'evaluate.load', 'sklearn'];
  assert.equal(matchesAny('sklearn.metrics.f1_score', libs), 'sklearn.metrics');
  assert.equal(matchesAny('sklearn.linear_model.LogisticRegression', libs), 'sklearn');
  assert.equal(matchesAny('torch.nn.Linear', libs), 'torch', 'the first in the list, not the longest');
  assert.equal(matchesAny('torchvision.models', libs), undefined, 'a prefix that does not end at a dot is another module');
  assert.equal(matchesAny('evaluate.load', libs), 'evaluate.load');
  assert.equal(matchesAny('evaluate', libs), undefined);
  assert.equal(matchesAny('', libs), undefined);
});

test('matchesAny agrees with its definition on random dotted names and lists (property)', () => {
  // Few segment names, so that names and libraries often share prefixes; empty segments too (`a..b`, `.a`, `a.`).
  const segment = fc.constantFrom('', 'a', 'b', 'ab', 'torch', 'nn', 'x_1');
  const dotted = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.'));
  fc.assert(
    fc.property(dotted, fc.array(dotted, { maxLength: 8 }), (module, libs) => {
      assert.equal(matchesAny(module, libs), firstContaining(module, libs));
    }),
    { numRuns: 5000 },
  );
});

test('facts parsed from the cache are interned in place: equal, strings shared across files, empty lists shared', () => {
  const pool = new StringPool();
  const facts = (text: string) => JSON.parse(text) as { calls: { name: string; keywords: string[] }[]; __proto__?: unknown };
  const json = '{"calls":[{"name":"builtins.print","keywords":[]},{"name":"torch.load","keywords":["map_location"]}],"path":"a.py"}';
  const first = pool.internInPlace(facts(json));
  const second = pool.internInPlace(facts(json));
  assert.deepEqual(first, JSON.parse(json));
  assert.equal(first.calls[0].keywords, second.calls[0].keywords, 'one shared empty list');
  assert.ok(Object.isFrozen(first.calls[0].keywords));
  // A key named `__proto__` (a name in user code) stays a plain property: the prototype is untouched.
  const crafted = pool.internInPlace(JSON.parse('{"names":{"__proto__":"x","polluted":"y"}}') as { names: Record<string, unknown> });
  assert.equal(Object.getPrototypeOf(crafted.names), Object.prototype);
  assert.deepEqual(Object.keys(crafted.names), ['__proto__', 'polluted']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
