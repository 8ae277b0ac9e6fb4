import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createEngine, DEFAULT_CONFIG, findRule } from '../server/src/engine/index';

/** Findings whose consequence is worse than the rule's default carry their own severity, unless the user set the rule's. */
const cases: { rule: string; code: string; severities: string[] }[] = [
  {
    rule: 'unpinned-model-download',
    code: 'from transformers import AutoModel\na = AutoModel.from_pretrained("THUDM/chatglm-6b", trust_remote_code=True)\nb = AutoModel.from_pretrained("bert-base-uncased")\n',
    severities: ['error', 'warning'],
  },
  {
    rule: 'debug-server',
    code: 'from flask import Flask\napp = Flask(__name__)\napp.run(host="0.0.0.0", debug=True)\napp.run(debug=True)\n',
    severities: ['error', 'warning'],
  },
  {
    rule: 'unvalidated-llm-output',
    code: 'import json\nfrom openai import OpenAI\nclient = OpenAI(timeout=9)\ntext = client.chat.completions.create(model="m", messages=[]).choices[0].message.content\nexec(text)\ndata = json.loads(text)\n',
    severities: ['error', 'warning'],
  },
];

for (const c of cases) {
  test(`${c.rule}: a finding's own severity, overridden by the user's`, async () => {
    const engine = await createEngine();
    const rule = findRule(c.rule)!;
    const input = { path: 'case.py', kind: 'script' as const, text: c.code };
    const own = engine.analyze(input, { rules: [rule] }).findings.map((f) => f.severity);
    assert.deepEqual(own, c.severities);
    const configured = engine.analyze(input, { rules: [rule], config: { ...DEFAULT_CONFIG, severity: { [c.rule]: 'info' } } }).findings.map((f) => f.severity);
    assert.deepEqual(
      configured,
      c.severities.map(() => 'info'),
    );
  });
}
