/**
 * The Hugging Face Hub: calls that download a model or dataset by repository id, and where that
 * id and the `revision=` go. transformers' SECURITY.md asks for a pinned revision, above all
 * with `trust_remote_code=True`.
 */

export interface HubLoader {
  readonly qualified: string;
  /** Positional index of the repository id (or local path), and its keyword name. */
  readonly idIndex: number;
  readonly idKeyword: string;
  /** The loader also runs code shipped in the repository when `trust_remote_code=True`. */
  readonly remoteCode: boolean;
}

function loader(qualified: string, idIndex: number, idKeyword: string, remoteCode = true): [string, HubLoader] {
  return [qualified, { qualified, idIndex, idKeyword, remoteCode }];
}

/** Module functions and classes that fetch from the Hub by id. */
export const HUB_LOADERS: ReadonlyMap<string, HubLoader> = new Map([
  loader('transformers.pipeline', 1, 'model'),
  loader('transformers.pipelines.pipeline', 1, 'model'),
  loader('huggingface_hub.hf_hub_download', 0, 'repo_id', false),
  loader('huggingface_hub.snapshot_download', 0, 'repo_id', false),
  loader('huggingface_hub.file_download.hf_hub_download', 0, 'repo_id', false),
  loader('huggingface_hub._snapshot_download.snapshot_download', 0, 'repo_id', false),
  loader('datasets.load_dataset', 0, 'path'),
  loader('sentence_transformers.SentenceTransformer', 0, 'model_name_or_path'),
  loader('sentence_transformers.CrossEncoder', 0, 'model_name'),
  loader('sentence_transformers.cross_encoder.CrossEncoder', 0, 'model_name'),
]);

/** Libraries whose classes' `from_pretrained(id)` downloads from the Hub. */
export const FROM_PRETRAINED_MODULES: readonly string[] = [
  'transformers',
  'diffusers',
  'peft',
  'sentence_transformers',
  'optimum',
  'timm',
  'setfit',
  'span_marker',
  // unsloth's `FastLanguageModel`/`FastModel.from_pretrained(model_name="unsloth/...")` wraps transformers'.
  'unsloth',
];

/** `from_pretrained` methods whose repository id is not the first argument (`PeftModel.from_pretrained(base, "id")`). */
export const FROM_PRETRAINED_ID_INDEX: ReadonlyMap<string, number> = new Map([
  ['peft.PeftModel.from_pretrained', 1],
  ['peft.PeftModelForCausalLM.from_pretrained', 1],
  ['peft.PeftModelForSeq2SeqLM.from_pretrained', 1],
  ['peft.PeftModelForSequenceClassification.from_pretrained', 1],
  ['peft.PeftModelForTokenClassification.from_pretrained', 1],
  ['peft.PeftModelForQuestionAnswering.from_pretrained', 1],
  ['peft.PeftModelForFeatureExtraction.from_pretrained', 1],
]);

/** Every module a Hub download can come through: the guard of the Hub rules. */
export const HUB_MODULES: readonly string[] = [
  'transformers',
  'huggingface_hub',
  'datasets',
  'sentence_transformers',
  'diffusers',
  'peft',
  'optimum',
  'timm',
  'setfit',
  'span_marker',
  'unsloth',
];

/** A Hub revision that names a commit (a full or abbreviated git hash), not a branch or tag that moves. */
export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{7,40}$/.test(revision);
}

/**
 * True when a literal model id is a local path rather than a Hub repository id
 * (`./model`, `/models/bert`, `C:\\models`, `~/ckpt`, `models/bert/`, `model.bin`, `output_qwen_merged`).
 * Hub ids are `name` or `owner/name`, with letters, digits, `-`, `_` and `.`.
 */
export function isLocalModelPath(id: string, kind: 'model' | 'dataset' = 'model'): boolean {
  // A single name that reads as a run's output folder (`output_qwen_merged`, `checkpoint-500`, `finetuned-model`).
  if (!id.includes('/') && LOCAL_NAME.test(id)) return true;
  // Hub model ids without an owner are the legacy canonical ones (`gpt2`, `bert-base-uncased`): never an
  // underscore. (Legacy dataset names do have them: `ptb_text_only`, `super_glue`.)
  if (kind === 'model' && !id.includes('/') && id.includes('_')) return true;
  if (/^(\.{1,2}[\\/]|[\\/~]|[A-Za-z]:[\\/])/.test(id) || id === '.' || id === '..') return true;
  if (id.includes('\\') || id.endsWith('/')) return true;
  const parts = id.split('/');
  if (parts.length > 2) return true;
  if (parts.length === 2 && LOCAL_FOLDERS.has(parts[0].toLowerCase())) return true;
  return !/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(id);
}

const LOCAL_NAME = /^(output|outputs|checkpoint|ckpt|saved|finetuned|fine_tuned|merged|trained|my_model|local)([-_.]|$)/i;

/** First path parts that name a project's own folder, not a Hub user or organisation. */
const LOCAL_FOLDERS = new Set([
  'models',
  'model',
  'checkpoints',
  'checkpoint',
  'ckpt',
  'ckpts',
  'output',
  'outputs',
  'out',
  'saved_models',
  'saved_model',
  'artifacts',
  'artefacts',
  'results',
  'runs',
  'weights',
  'data',
  'tmp',
  'cache',
  'pretrained',
  'local',
]);

/** `load_dataset` builders that read local files or in-memory data, never the Hub. */
export const PACKAGED_DATASET_BUILDERS: ReadonlySet<string> = new Set([
  'csv',
  'json',
  'parquet',
  'text',
  'arrow',
  'pandas',
  'sql',
  'generator',
  'imagefolder',
  'audiofolder',
  'videofolder',
  'webdataset',
  'xml',
  'spark',
  'pdffolder',
]);
