import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { hasSplat, keywordArgument, positionalArguments } from '../calls';
import { literalString } from '../literals';
import { resolveValue } from '../dataflow';
import { nameSetFact } from '../semantic';
import { ownCopy } from '../text';
import { isTestModule } from '../test-modules';
import {
  FROM_PRETRAINED_ID_INDEX,
  FROM_PRETRAINED_MODULES,
  HUB_LOADERS,
  HUB_MODULES,
  PACKAGED_DATASET_BUILDERS,
  isCommitHash,
  isLocalModelPath,
} from '../knowledge';

/** Keywords that name the repository in a `from_pretrained` call. */
// (`model_name=`: unsloth's.)
const ID_KEYWORDS = ['pretrained_model_name_or_path', 'model_id', 'repo_id', 'model_name_or_path', 'model_name'];

/** Methods that write a model to a local folder named by their first argument (`trainer.model.save_pretrained(new_model)`). */
const LOCAL_SAVES = new Set(['save_pretrained', 'save_model']);

/**
 * The folders the file itself writes a model to: a run's `output_dir=` (`TrainingArguments`,
 * `SFTConfig`) and the destination of `save_pretrained`/`save_model`, as literals or through the
 * constants that hold them. Loading one of them reads the file's own output, not the Hub. A
 * file-level fact, so a load keeps its finding between edits while the answer holds.
 */
const WRITTEN_FOLDERS = nameSetFact('unpinned-model-download:written-folders', (model) => {
  const folders = new Set<string>();
  const add = (node: SyntaxNode | undefined): void => {
    const folder = node ? literalString(resolveValue(model, node)) : undefined;
    if (folder) folders.add(ownCopy(folder));
  };
  for (const call of model.calls) {
    add(keywordArgument(call, 'output_dir'));
    const method = model.methodName(call);
    if (method !== undefined && LOCAL_SAVES.has(method)) add(keywordArgument(call, 'save_directory') ?? positionalArguments(call)[0]);
  }
  return folders;
});

/** `model=` when the id was passed by keyword (`pipeline("text-generation", model=…)`), so the message shows the call as written. */
function keywordOf(idNode: SyntaxNode | undefined): string {
  const parent = idNode?.parent;
  const name = parent?.type === 'keyword_argument' ? parent.childForFieldName('name')?.text : undefined;
  return name ? `${name}=` : '';
}

export default defineRule({
  name: 'unpinned-model-download',
  category: 'reproducibility',
  severity: 'warning',
  scope: 'statement',
  summary: 'A model or dataset pulled from the Hugging Face Hub by id with no `revision=` pinned to a commit.',
  requiresImport: HUB_MODULES,
  docs: {
    what: 'Flags downloads from the Hugging Face Hub by repository id (a literal, or a constant that holds one) with no `revision=` set to a commit hash: `from_pretrained` of transformers (`AutoModel*`, `AutoTokenizer`, model classes), diffusers, peft, sentence-transformers and optimum classes, unsloth\'s `FastLanguageModel`/`FastModel` (`model_name=`), `transformers.pipeline(model=...)`, `hf_hub_download`, `snapshot_download`, `datasets.load_dataset`, `SentenceTransformer` and `CrossEncoder`. A revision that names a branch or tag (`"main"`, `"v1.0"`) is flagged too. With `trust_remote_code=True` the finding is an error: the download runs Python from the repository.',
    why: "A Hub repository is mutable: its owner can push new weights, a new tokenizer or new code to `main` at any time, and the next container build or cache miss silently serves a different model, with different outputs, than the one that was evaluated. With `trust_remote_code=True` the repository's Python runs in your process, so an unpinned revision lets whoever controls the repository (or takes it over) run code on your servers. Pinning a commit makes the artefact as fixed as a locked dependency; transformers' own SECURITY.md asks for it.",
    example:
      'from transformers import AutoModelForCausalLM, AutoTokenizer\n\ntokenizer = AutoTokenizer.from_pretrained("THUDM/chatglm3-6b", trust_remote_code=True)\nmodel = AutoModelForCausalLM.from_pretrained("THUDM/chatglm3-6b", trust_remote_code=True)',
    useInstead:
      'from transformers import AutoModelForCausalLM, AutoTokenizer\n\nMODEL = "THUDM/chatglm3-6b"\nREVISION = "103caa40027ebfd8450289ca2f278eac4ff26405"  # the commit that was evaluated\n\ntokenizer = AutoTokenizer.from_pretrained(MODEL, revision=REVISION, trust_remote_code=True)\nmodel = AutoModelForCausalLM.from_pretrained(MODEL, revision=REVISION, trust_remote_code=True)',
    notes:
      'Only ids the rule can read are judged: a literal or a module or function constant that holds one. An id from a parameter, a config object or the command line is not flagged (it may be a local path), nor is a revision held in a variable. Local paths are not flagged: `./model`, `/models/bert`, `~/ckpt`, Windows paths, ids with more than one `/`, `folder/name` where the folder is a usual local one (`models/`, `checkpoints/`, `outputs/`, ...), a single name that reads as a run\'s output (`output_qwen_merged`, `checkpoint-500`), and a model name with an underscore and no owner (Hub model ids without an owner are the legacy ones such as `gpt2` and `bert-base-uncased`, which have none); a folder the same file trains into or saves a model to (`TrainingArguments(output_dir=new_model)`, `trainer.model.save_pretrained(new_model)`, then `PeftModel.from_pretrained(base, new_model)`); nor are downloads in unit-test modules (the files pytest collects, modules that import `pytest` or `unittest`: a test\'s fixture model is neither served nor evaluated) unless they pass `trust_remote_code=True`, nor calls with `local_files_only=True`, calls that pass `**kwargs`, `pipeline(task)` without a model, and `load_dataset` with a packaged builder (`"csv"`, `"json"`, `"parquet"`, `"imagefolder"`, ...). A revision is pinned when it is 7 to 40 lowercase hex digits. Tokenizers are flagged like models: a changed vocabulary changes outputs as surely as changed weights. No fix: only you know which commit you evaluated.',
    realCode:
      "On the 37 repositories of the audit: 76 findings, all read, 76 true positives, precision 1.00 (ChatGLM-6B, ChatGLM2-6B and Qwen load their own models with `trust_remote_code=True` and no revision; evaluation scripts load Hub datasets by name). Sixteen false positives were fixed: Qwen's fine-tuning notebooks load the run's output folder (`output_qwen_merged`), now recognised as a local path. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;

    /** The repository id a call downloads, as written or through constants, with the node to show. */
    const readId = (node: SyntaxNode | undefined): string | undefined => (node ? literalString(resolveValue(model, node)) : undefined);

    return {
      call(call) {
        const qualified = model.callee(call);
        if (qualified === undefined) return;
        let idNode: SyntaxNode | undefined;
        let shown: string;
        let isDataset = false;
        const loader = HUB_LOADERS.get(qualified);
        if (loader) {
          idNode = keywordArgument(call, loader.idKeyword) ?? positionalArguments(call)[loader.idIndex];
          shown = qualified.split('.').pop()!;
          isDataset = qualified === 'datasets.load_dataset';
        } else if (qualified.endsWith('.from_pretrained')) {
          const root = qualified.slice(0, qualified.indexOf('.'));
          if (!FROM_PRETRAINED_MODULES.includes(root)) return;
          const index = FROM_PRETRAINED_ID_INDEX.get(qualified) ?? 0;
          for (const keyword of ID_KEYWORDS) idNode ??= keywordArgument(call, keyword);
          idNode ??= positionalArguments(call)[index];
          const parts = qualified.split('.');
          shown = `${parts[parts.length - 2]}.from_pretrained`;
        } else {
          return;
        }
        const id = readId(idNode);
        if (id === undefined || id.length === 0) return;
        if (isDataset ? PACKAGED_DATASET_BUILDERS.has(id) || isLocalModelPath(id, 'dataset') : isLocalModelPath(id)) return;
        if (keywordArgument(call, 'local_files_only')?.type === 'true') return;
        if (model.factHas(WRITTEN_FOLDERS, id)) return;
        const revisionNode = keywordArgument(call, 'revision');
        let revision: string | undefined;
        if (revisionNode) {
          const resolved = resolveValue(model, revisionNode);
          revision = literalString(resolved);
          if (revision === undefined && resolved.type !== 'none') return;
          if (revision !== undefined && isCommitHash(revision)) return;
        } else if (hasSplat(call)) {
          return;
        }
        const remoteCode = keywordArgument(call, 'trust_remote_code');
        const runsCode = remoteCode !== undefined && resolveValue(model, remoteCode).type === 'true';
        // A unit test's fixture model (`trl-internal-testing/tiny-Qwen2ForCausalLM`) is neither
        // served nor evaluated; remote code run in CI, next to its secrets, still is a risk.
        if (!runsCode && isTestModule(model, context.path)) return;
        const pin = revision !== undefined ? `\`revision="${revision}"\` is a branch or tag that moves` : 'no `revision=` pins it';
        const consequence = runsCode
          ? 'with `trust_remote_code=True`, whatever code is pushed to the repository runs here'
          : isDataset
            ? 'a push to the repository changes the data you train and evaluate on'
            : 'a push to the repository changes the model you serve';
        context.report({
          node: call,
          severity: runsCode ? 'error' : undefined,
          message: `\`${shown}(${keywordOf(idNode)}"${id}")\` downloads from the Hugging Face Hub and ${pin}: ${consequence}; pass \`revision=\` with the commit hash you evaluated`,
        });
      },
    };
  },
});
