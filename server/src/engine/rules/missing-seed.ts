import { defineRule } from '../rule';
import { addKeywordArgument, hasSplat, keywordArgument } from '../calls';
import { stringValue } from '../literals';
import type { SyntaxNode } from '../parser';
import { resolveValue } from '../dataflow';
import {
  DEEP_LEARNING_LIBRARIES,
  LIGHTNING_TRAINERS,
  RANDOM_SOLVERS,
  SEED_FUNCTIONS,
  seedFunctionsFor,
  sklearnRandomness,
  TORCH_DATA_LOADERS,
} from '../knowledge';
import { isBackward, isOptimizerStep } from '../torch-facts';
import { contains, descendants } from '../tree-queries';

/** Calls that seed NumPy's global generator, which scikit-learn draws from when given no `random_state`. */
const NUMPY_GLOBAL_SEED = seedFunctionsFor('numpy');

const SEEDS_FOR_DL = new Set([...seedFunctionsFor('torch'), ...seedFunctionsFor('tensorflow'), ...seedFunctionsFor('keras')]);
/** A project helper that seeds (`set_seed(cfg.seed)`, `utils.seed_everything(0)`, `fix_seeds()`), imported or defined. */
const SEED_HELPER =
  /^(set_?(random_?|global_?|all_?)?seeds?|seed_?(everything|all|torch|worker)?|fix_?(random_?)?seeds?|init_?seeds?|setup_?seeds?|make_deterministic|enable_full_determinism)$/i;
const KERAS_MODEL = /^(tensorflow\.keras|keras|tf_keras)\.(Sequential|Model|models\.Sequential|models\.Model)$/;

function isLiteral(node: SyntaxNode | undefined, value: 'True' | 'None'): boolean {
  return node?.type === (value === 'True' ? 'true' : 'none');
}

export default defineRule({
  name: 'missing-seed',
  category: 'reproducibility',
  severity: 'warning',
  summary:
    'A scikit-learn split, search or model that depends on randomness is called without `random_state`; PyTorch, TensorFlow/Keras or Lightning training in a file that never seeds.',
  fix: 'safe',
  requiresImport: ['sklearn', ...DEEP_LEARNING_LIBRARIES],
  // Candidates are found per statement (`collect`); the file-level seeds decide at `file:end`.
  scope: 'statement',
  docs: {
    what: 'Flags scikit-learn calls whose result depends on a random draw and that get no `random_state`: `train_test_split`, the shuffle splitters, `KFold`/`StratifiedKFold` with `shuffle=True`, `RandomizedSearchCV`, decision trees (they permute the features at every split, so ties between splits go either way from run to run), random forests, extra trees, gradient boosting, AdaBoost, bagging, `IsolationForest`, `KMeans`, MLPs, SGD, `TSNE`, `permutation_importance`, `resample`, `shuffle`, `PCA(svd_solver="randomized")`, `TruncatedSVD` and `LogisticRegression` with the `sag` or `saga` solver, or `liblinear` with `penalty="l1"` or `dual=True` (its default primal L2 fit does not use `random_state`). For deep learning: PyTorch, TensorFlow/Keras or Lightning training (a `loss.backward()`/`optimizer.step()`, a Keras model\'s `fit`, a Lightning `Trainer.fit`) in a file with no `torch.manual_seed`, `tf.random.set_seed`, `keras.utils.set_random_seed`, `transformers.set_seed` or Lightning `seed_everything`, reported once per file at the first training call; and a `DataLoader(shuffle=True, num_workers>0)` with neither `generator=` nor `worker_init_fn=` in such a file.',
    why: 'Without a seed every run draws a different split or initialisation, so metrics move between runs for no reason, a colleague cannot reproduce a result, and a regression cannot be told apart from noise. A pipeline that is retrained in production must produce the same model from the same data.',
    example: 'from sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)',
    useInstead:
      'from sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)',
    fixSafety:
      'Safe: adding `random_state` fixes one of the draws the call would have made anyway; the code keeps its meaning and becomes repeatable. The seed is `seed` from `[tool.mlready]` (default 42).',
    notes:
      "Not flagged when `numpy.random.seed(...)` runs earlier in the same file or notebook, because scikit-learn then draws from the seeded global generator; nor when `**kwargs` may carry the seed; nor for estimators whose default solver is deterministic (`LogisticRegression` with `lbfgs`, `PCA` with its default solver); nor for `KMeans` given its initial centres (`init=X[:3]`: nothing is drawn). Decision trees are flagged even on a single feature, where the permutation of the features changes nothing: the rule does not know how many columns the data has. XGBoost, LightGBM and CatBoost use a fixed seed when none is given (0 or their C++ defaults), so their constructors are not flagged. An explicit `random_state=None` is flagged like a missing one. Deep learning: a call of a project helper named for seeding (`set_seed(cfg.seed)`, `seed_everything(0)`, `fix_seed()`) counts as a seed, wherever it comes from; the Hugging Face `Trainer` is not flagged (it calls `set_seed(args.seed)` itself, 42 by default); a `DataLoader` is not flagged when the file seeds PyTorch globally (the shuffling generator and the workers' base seed then derive from it), with `num_workers=0`, or without `shuffle=True`. A module of training helpers (training only inside functions, none of its own functions called at module level, and no `__main__` block that reaches the training through the names it mentions) is not flagged: the script that imports it is where the seed belongs. The deep-learning findings have no fix: where the seed belongs (top of the script, `main`, a config) is the author's call.",
    realCode:
      "On the 61 repositories of the audit: 26 findings, all read, 26 true positives, precision 1.00; 13 are the deep-learning check (pytorch/examples entry points such as the DDP tutorials, `regression/main.py`, `mnist_forward_forward/main.py` whose `--seed` option is parsed and never used, a Keras notebook). Two false positives were fixed: modules of training helpers whose entry point seeds (pytorch/examples FSDP `utils/train_utils.py`, minGPT's `trainer.py`). Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit && scripts/audit-checkout.sh <mirrors> /tmp/audit docs/audit/serving-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --list docs/audit/repos.txt,docs/audit/serving-repos.txt --verdicts docs/audit/serving-rules.csv --rules missing-seed` (verdicts with their reasons in `docs/audit/serving-rules.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    let globalSeedAt: number | undefined;
    let checkedGlobalSeed = false;
    const seededBefore = (offset: number): boolean => {
      if (!checkedGlobalSeed) {
        checkedGlobalSeed = true;
        globalSeedAt = model.callsTo(NUMPY_GLOBAL_SEED)[0]?.startIndex;
      }
      return globalSeedAt !== undefined && globalSeedAt < offset;
    };
    // Deep-learning training: reported once, at the first training call, when nothing in the file seeds.
    // (The model is filled after `create`: imports are read on the first call.)
    let deepLearning: boolean | undefined;
    let dlSeeded: boolean | undefined;
    const seedsDeepLearning = (): boolean => {
      if (dlSeeded === undefined) {
        dlSeeded = model.calls.some((c) => {
          const name = model.callee(c);
          if (name && (SEEDS_FOR_DL.has(name) || (SEED_FUNCTIONS.has(name) && /seed_everything|set_seed/.test(name)))) return true;
          const called = model.calledName(c);
          return called !== undefined && SEED_HELPER.test(called);
        });
      }
      return dlSeeded;
    };
    const trainingLibrary = (call: SyntaxNode, qualified: string | undefined): 'torch' | 'keras' | 'lightning' | undefined => {
      const method = model.method(call);
      if (!method || qualified) return undefined;
      if (method.name === 'fit') {
        const type = model.constructedType(method.receiver) ?? '';
        if (LIGHTNING_TRAINERS.has(type)) return 'lightning';
        if (KERAS_MODEL.test(type) && call.childForFieldName('arguments')!.namedChildCount > 0) return 'keras';
        return undefined;
      }
      if ((method.name === 'backward' || method.name === 'step') && model.seenAnyModule(['torch', 'lightning', 'pytorch_lightning', 'accelerate'])) {
        return isBackward(model, call) || isOptimizerStep(model, call) ? 'torch' : undefined;
      }
      return undefined;
    };
    const SEED_ADVICE = {
      torch: '`torch.manual_seed(SEED)` (or `transformers.set_seed(SEED)`)',
      keras: '`keras.utils.set_random_seed(SEED)` (or `tf.random.set_seed(SEED)`)',
      lightning: '`lightning.seed_everything(SEED, workers=True)`',
    } as const;

    /**
     * A script run as a program (a notebook, a `__main__` block, training or a call of its own functions at
     * module level) is where seeding belongs; a module of training helpers imported by one is not.
     */
    let entryPoint: boolean | undefined;
    const isEntryPoint = (): boolean => {
      if (entryPoint !== undefined) return entryPoint;
      if (context.kind === 'notebook') return (entryPoint = true);
      if (model.mentions('__main__')) return (entryPoint = mainReachesTraining());
      return (entryPoint = model.calls.some((call) => {
        if (model.enclosingFunctionAt(call.startIndex) || model.enclosingClassAt(call.startIndex)) return false;
        const fn = model.functionOf(call);
        return fn?.type === 'identifier' && model.functionsNamed(fn.text).length > 0;
      }));
    };

    /**
     * True unless the file's `if __name__ == "__main__":` blocks plainly never reach its training:
     * no name they mention, nor any name mentioned in the functions those names define (followed
     * through the file), is a function or class holding a training call or a shuffling loader. A
     * library module whose `__main__` block only samples (lucidrains/denoising-diffusion-pytorch's
     * guided_diffusion.py) is a module of helpers. Names are followed by their text, so the answer
     * errs towards an entry point.
     */
    const mainReachesTraining = (): boolean => {
      const blocks = context.root.namedChildren.filter(
        (statement): statement is SyntaxNode => statement?.type === 'if_statement' && !!statement.childForFieldName('condition')?.text.includes('__main__'),
      );
      if (blocks.length === 0) return true;
      const trainingAt = context
        .collected()
        .filter(({ data }) => (data as Candidate).kind !== 'sklearn')
        .map(({ node }) => node);
      const holdsTraining = (node: SyntaxNode): boolean => trainingAt.some((call) => contains(node, call));
      const seen = new Set<string>();
      const queue: SyntaxNode[] = [...blocks];
      while (queue.length > 0) {
        const node = queue.pop()!;
        if (holdsTraining(node)) return true;
        for (const name of descendants(node, 'identifier')) {
          // (`super().__init__()` names every class's constructor: a class is reached by its own name.)
          if (seen.has(name.text) || name.text.startsWith('__')) continue;
          seen.add(name.text);
          queue.push(...model.functionsNamed(name.text), ...model.classesNamed(name.text));
        }
      }
      return false;
    };

    /** What the call handler finds in a statement; whether the file seeds decides at `file:end`. */
    type Candidate =
      | { kind: 'training'; library: 'torch' | 'keras' | 'lightning' }
      | { kind: 'loader'; workers: string; inFunction: boolean }
      | { kind: 'sklearn'; name: string; seed: boolean };

    return {
      'file:end'() {
        const candidates = context.collected();
        if (candidates.length === 0) return;
        const value = String(context.settings.seed);
        let training = false;
        for (const { node: call, data } of candidates) {
          const candidate = data as Candidate;
          if (candidate.kind === 'training') {
            // Reported once, at the first training call, when nothing in the file seeds.
            if (training) continue;
            training = true;
            if (seedsDeepLearning()) continue;
            if (model.enclosingFunctionAt(call.startIndex) && !isEntryPoint()) continue;
            const { library } = candidate;
            context.report({
              node: call,
              message: `${library === 'keras' ? 'Keras' : library === 'lightning' ? 'Lightning' : 'PyTorch'} training with no seed anywhere in this file: initial weights, shuffling and dropout differ on every run; call ${SEED_ADVICE[library].replace(/SEED/g, value)} before building the model`,
            });
          } else if (candidate.kind === 'loader') {
            if (seedsDeepLearning() || (candidate.inFunction && !isEntryPoint())) continue;
            context.report({
              node: call,
              message: `\`DataLoader(shuffle=True, num_workers=${candidate.workers})\` with neither \`generator=\` nor \`worker_init_fn=\` and no seed in this file: the order and worker randomness change on every run; pass \`generator=torch.Generator().manual_seed(${value})\` and a \`worker_init_fn\` that seeds each worker`,
            });
          } else {
            if (seededBefore(call.startIndex)) continue;
            const seed = candidate.seed ? keywordArgument(call, 'random_state') : undefined;
            const edit = seed ? { start: seed.startIndex, end: seed.endIndex, text: value } : addKeywordArgument(call, 'random_state', value);
            context.report({
              node: call,
              message: `\`${candidate.name}\` without \`random_state\`: results change on every run; pass \`random_state=${value}\``,
              fix: edit ? { title: `Add random_state=${value}`, applicability: 'safe', edits: [edit] } : undefined,
            });
          }
        }
      },
      call(call) {
        const qualified = model.callee(call);
        if ((deepLearning ??= model.seenAnyModule(DEEP_LEARNING_LIBRARIES))) {
          const library = trainingLibrary(call, qualified);
          if (library) context.collect(call, { kind: 'training', library } satisfies Candidate);
          if (qualified && TORCH_DATA_LOADERS.has(qualified)) {
            const shuffle = keywordArgument(call, 'shuffle');
            const workers = keywordArgument(call, 'num_workers');
            if (
              shuffle?.type === 'true' &&
              workers &&
              workers.text !== '0' &&
              !keywordArgument(call, 'generator') &&
              !keywordArgument(call, 'worker_init_fn') &&
              !hasSplat(call)
            ) {
              const inFunction = model.enclosingFunctionAt(call.startIndex) !== undefined;
              context.collect(call, { kind: 'loader', workers: workers.text.length <= 20 ? workers.text : '…', inFunction } satisfies Candidate);
            }
          }
        }
        if (!qualified?.startsWith('sklearn.')) return;
        const entry = sklearnRandomness(qualified);
        if (!entry) return;
        const [, kind] = entry;
        // `shuffle=SHUFFLE` with `SHUFFLE = False` set once above reads as the constant it holds.
        const shuffle = keywordArgument(call, 'shuffle');
        const shuffleValue = shuffle ? resolveValue(model, shuffle) : undefined;
        if (kind === 'shuffle' && !isLiteral(shuffleValue, 'True')) return;
        if (kind === 'solver') {
          const solver = keywordArgument(call, 'solver');
          const value = solver ? stringValue(solver) : undefined;
          if (value === undefined || !RANDOM_SOLVERS.has(value)) return;
          // liblinear draws only in its dual and L1 coordinate descent; the default primal L2
          // (trust-region Newton) gives the same coefficients whatever the seed (scikit-learn 1.2 and 1.9, measured).
          if (value === 'liblinear' && deterministicLiblinear(call)) return;
        }
        if (kind === 'pca') {
          const solver = keywordArgument(call, 'svd_solver');
          if (!solver || stringValue(solver) !== 'randomized') return;
        }
        if (kind === 'always' && qualified.endsWith('train_test_split') && shuffleValue?.type === 'false') return;
        // `KMeans(init=X[:3])`: given centres, nothing is drawn (`random_state` only seeds the initialisation).
        if (qualified === 'sklearn.cluster.KMeans') {
          const init = keywordArgument(call, 'init');
          if (init && init.type !== 'string' && init.type !== 'concatenated_string') return;
        }
        const seed = keywordArgument(call, 'random_state');
        if (seed && !isLiteral(seed, 'None')) return;
        if (!seed && hasSplat(call)) return;
        context.collect(call, { kind: 'sklearn', name: qualified.split('.').pop() ?? qualified, seed: seed !== undefined } satisfies Candidate);
      },
    };
  },
});

/**
 * `LogisticRegression(solver="liblinear")` with the default `penalty="l2"` and `dual=False`:
 * `random_state` is unused. A penalty, dual flag or `l1_ratio` the rule cannot read counts as random.
 */
function deterministicLiblinear(call: SyntaxNode): boolean {
  const penalty = keywordArgument(call, 'penalty');
  if (penalty && stringValue(penalty) !== 'l2') return false;
  const dual = keywordArgument(call, 'dual');
  if (dual && dual.type !== 'false') return false;
  const l1Ratio = keywordArgument(call, 'l1_ratio');
  if (l1Ratio && !/^0(\.0*)?$/.test(l1Ratio.text)) return false;
  return true;
}
