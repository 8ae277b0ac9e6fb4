import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knowledge } from '../server/src/engine';

test('Hub ids and local paths are told apart', () => {
  for (const id of ['gpt2', 'bert-base-uncased', 'meta-llama/Llama-2-7b-hf', 'sentence-transformers/all-MiniLM-L6-v2', 'Qwen/Qwen2.5-0.5B']) {
    assert.equal(knowledge.isLocalModelPath(id), false, id);
  }
  for (const id of [
    './model',
    '../ckpt',
    '/models/bert',
    '~/weights',
    'C:\\models\\bert',
    'models/bert',
    'checkpoints/final',
    'out/run1/best',
    'model dir',
    'outputs/',
    'output_qwen_merged',
    'checkpoint-500',
    'my_model',
  ]) {
    assert.equal(knowledge.isLocalModelPath(id), true, id);
  }
  assert.equal(knowledge.isLocalModelPath('ptb_text_only', 'dataset'), false, 'legacy dataset names have underscores');
});

test('a revision pins only when it is a commit hash', () => {
  assert.equal(knowledge.isCommitHash('e5bd4b3'), true);
  assert.equal(knowledge.isCommitHash('0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'), true);
  for (const revision of ['main', 'v1.0', 'refs/pr/1', 'E5BD4B3X']) assert.equal(knowledge.isCommitHash(revision), false, revision);
});

test('seeding functions say which libraries they seed', () => {
  const numpy = knowledge.seedFunctionsFor('numpy');
  assert.ok(numpy.has('numpy.random.seed') && numpy.has('transformers.set_seed') && numpy.has('lightning.seed_everything'));
  assert.ok(!numpy.has('torch.manual_seed'));
  assert.ok(knowledge.seedFunctionsFor('torch').has('keras.utils.set_random_seed'));
});

test('LLM clients carry their SDK defaults', () => {
  assert.equal(knowledge.LLM_CLIENTS.get('openai.OpenAI')?.defaultTimeout, 600);
  assert.equal(knowledge.LLM_CLIENTS.get('openai.AsyncOpenAI')?.async, true);
  assert.equal(knowledge.LLM_CLIENTS.get('anthropic.AnthropicBedrock')?.async, false);
  assert.equal(knowledge.LLM_CLIENTS.get('langchain_openai.ChatOpenAI')?.defaultTimeout, null);
  assert.deepEqual(knowledge.LLM_CLIENTS.get('langchain_anthropic.ChatAnthropic')?.timeoutKeywords, ['timeout', 'default_request_timeout']);
  assert.equal(knowledge.LLM_CLIENTS.get('litellm.acompletion')?.async, true);
  assert.equal(knowledge.LLM_CLIENTS.get('llama_index.llms.openai.OpenAI')?.defaultTimeout, 60);
});

test('tracking integrations count as tracking', () => {
  assert.ok(knowledge.isTrackingIntegration('pytorch_lightning.loggers.WandbLogger'));
  assert.ok(knowledge.isTrackingIntegration('ray.air.integrations.mlflow.MLflowLoggerCallback'));
  assert.ok(!knowledge.isTrackingIntegration('pytorch_lightning.callbacks.ModelCheckpoint'));
});
