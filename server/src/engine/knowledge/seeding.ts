/**
 * Seeding: the functions that seed each library's random generators, and which libraries draw
 * random numbers at all. Used by `missing-seed` and the readiness seeds item.
 */

import { TORCH_DATA_LOADERS } from './pytorch';

export type SeededLibrary = 'numpy' | 'random' | 'torch' | 'tensorflow' | 'keras' | 'jax';

/** Seeding functions by qualified name, with the libraries each one seeds. */
export const SEED_FUNCTIONS: ReadonlyMap<string, readonly SeededLibrary[]> = new Map<string, readonly SeededLibrary[]>([
  ['numpy.random.seed', ['numpy']],
  ['random.seed', ['random']],
  ['torch.manual_seed', ['torch']],
  ['torch.random.manual_seed', ['torch']],
  ['torch.cuda.manual_seed', ['torch']],
  ['torch.cuda.manual_seed_all', ['torch']],
  ['tensorflow.random.set_seed', ['tensorflow', 'keras']],
  ['tensorflow.set_random_seed', ['tensorflow', 'keras']],
  ['tensorflow.compat.v1.set_random_seed', ['tensorflow', 'keras']],
  // Keras' helper seeds Python, NumPy and the backend.
  ['tensorflow.keras.utils.set_random_seed', ['tensorflow', 'keras', 'numpy', 'random']],
  ['keras.utils.set_random_seed', ['tensorflow', 'keras', 'torch', 'numpy', 'random']],
  ['tf_keras.utils.set_random_seed', ['tensorflow', 'keras', 'numpy', 'random']],
  // transformers, Lightning and Accelerate seed Python, NumPy, PyTorch (and TensorFlow when installed).
  ['transformers.set_seed', ['torch', 'tensorflow', 'keras', 'numpy', 'random']],
  ['transformers.trainer_utils.set_seed', ['torch', 'tensorflow', 'keras', 'numpy', 'random']],
  ['accelerate.utils.set_seed', ['torch', 'numpy', 'random']],
  ['lightning.seed_everything', ['torch', 'numpy', 'random']],
  ['lightning.pytorch.seed_everything', ['torch', 'numpy', 'random']],
  ['lightning.fabric.seed_everything', ['torch', 'numpy', 'random']],
  ['pytorch_lightning.seed_everything', ['torch', 'numpy', 'random']],
  ['pytorch_lightning.utilities.seed.seed_everything', ['torch', 'numpy', 'random']],
  ['lightning_fabric.utilities.seed.seed_everything', ['torch', 'numpy', 'random']],
  ['jax.random.PRNGKey', ['jax']],
  ['jax.random.key', ['jax']],
]);

/** Seeded generators that replace the global state (`np.random.default_rng(seed)`): evidence of seeding, not a global seed. */
export const SEEDED_GENERATORS: ReadonlySet<string> = new Set([
  'numpy.random.default_rng',
  'numpy.random.RandomState',
  'numpy.random.Generator',
  'random.Random',
  'torch.Generator',
]);

/** Libraries with random behaviour: importing one makes seeding relevant. */
export const RANDOM_LIBRARIES: readonly string[] = [
  'numpy',
  'random',
  'torch',
  'tensorflow',
  'keras',
  'sklearn',
  'jax',
  'xgboost',
  'lightgbm',
  'catboost',
  'transformers',
  'lightning',
  'pytorch_lightning',
];

/**
 * When a scikit-learn call draws random numbers: `always`; only with `shuffle=True` (`KFold`); only
 * with a solver that shuffles (`LogisticRegression`); only with a randomised solver (`PCA`).
 */
export type SklearnRandomness = 'always' | 'shuffle' | 'solver' | 'pca';

/** scikit-learn's splitters, searches, estimators and helpers that draw random numbers, by public name. */
export const SKLEARN_RANDOM: ReadonlyMap<string, SklearnRandomness> = new Map<string, SklearnRandomness>([
  ['sklearn.model_selection.train_test_split', 'always'],
  ['sklearn.model_selection.ShuffleSplit', 'always'],
  ['sklearn.model_selection.StratifiedShuffleSplit', 'always'],
  ['sklearn.model_selection.GroupShuffleSplit', 'always'],
  ['sklearn.model_selection.RepeatedKFold', 'always'],
  ['sklearn.model_selection.RepeatedStratifiedKFold', 'always'],
  ['sklearn.model_selection.KFold', 'shuffle'],
  ['sklearn.model_selection.StratifiedKFold', 'shuffle'],
  ['sklearn.model_selection.RandomizedSearchCV', 'always'],
  // A tree permutes the features at every split ("even if splitter is set to 'best'", scikit-learn's docs): ties between splits go either way.
  ['sklearn.tree.DecisionTreeClassifier', 'always'],
  ['sklearn.tree.DecisionTreeRegressor', 'always'],
  ['sklearn.tree.ExtraTreeClassifier', 'always'],
  ['sklearn.tree.ExtraTreeRegressor', 'always'],
  ['sklearn.ensemble.AdaBoostClassifier', 'always'],
  ['sklearn.ensemble.AdaBoostRegressor', 'always'],
  ['sklearn.ensemble.RandomForestClassifier', 'always'],
  ['sklearn.ensemble.RandomForestRegressor', 'always'],
  ['sklearn.ensemble.ExtraTreesClassifier', 'always'],
  ['sklearn.ensemble.ExtraTreesRegressor', 'always'],
  ['sklearn.ensemble.GradientBoostingClassifier', 'always'],
  ['sklearn.ensemble.GradientBoostingRegressor', 'always'],
  ['sklearn.ensemble.HistGradientBoostingClassifier', 'always'],
  ['sklearn.ensemble.HistGradientBoostingRegressor', 'always'],
  ['sklearn.ensemble.BaggingClassifier', 'always'],
  ['sklearn.ensemble.BaggingRegressor', 'always'],
  ['sklearn.ensemble.IsolationForest', 'always'],
  ['sklearn.ensemble.RandomTreesEmbedding', 'always'],
  ['sklearn.cluster.KMeans', 'always'],
  ['sklearn.cluster.MiniBatchKMeans', 'always'],
  ['sklearn.neural_network.MLPClassifier', 'always'],
  ['sklearn.neural_network.MLPRegressor', 'always'],
  ['sklearn.linear_model.SGDClassifier', 'always'],
  ['sklearn.linear_model.SGDRegressor', 'always'],
  ['sklearn.linear_model.LogisticRegression', 'solver'],
  ['sklearn.manifold.TSNE', 'always'],
  ['sklearn.decomposition.PCA', 'pca'],
  ['sklearn.decomposition.TruncatedSVD', 'always'],
  ['sklearn.inspection.permutation_importance', 'always'],
  ['sklearn.utils.resample', 'always'],
  ['sklearn.utils.shuffle', 'always'],
]);

/** Solvers of `LogisticRegression` that shuffle the data with `random_state`. */
export const RANDOM_SOLVERS: ReadonlySet<string> = new Set(['sag', 'saga', 'liblinear']);

/**
 * Answers by callee name: the same few scikit-learn names are called all over a file, and the
 * search by last name below allocates per entry. (Bounded: names come from the files read.)
 */
const sklearnRandomnessMemo = new Map<string, readonly [string, SklearnRandomness] | null>();

/** Accepts re-exports such as `sklearn.model_selection._split.train_test_split` by their public name. */
export function sklearnRandomness(calleeName: string): readonly [string, SklearnRandomness] | undefined {
  const known = sklearnRandomnessMemo.get(calleeName);
  if (known !== undefined) return known ?? undefined;
  if (sklearnRandomnessMemo.size >= 4096) sklearnRandomnessMemo.clear();
  const found = searchSklearnRandomness(calleeName);
  sklearnRandomnessMemo.set(calleeName, found ?? null);
  return found;
}

function searchSklearnRandomness(calleeName: string): [string, SklearnRandomness] | undefined {
  // scikit-learn < 0.20 (still seen in Python 2 code) had the splitters and searches elsewhere.
  const qualified = calleeName.replace(/^sklearn\.(cross_validation|grid_search)\./, 'sklearn.model_selection.');
  const direct = SKLEARN_RANDOM.get(qualified);
  if (direct) return [qualified, direct];
  const parts = qualified.split('.');
  if (parts[0] !== 'sklearn' || parts.length < 3) return undefined;
  const name = parts[parts.length - 1];
  for (const [key, kind] of SKLEARN_RANDOM) if (key.endsWith(`.${name}`) && key.startsWith(`${parts[0]}.${parts[1]}`)) return [key, kind];
  return undefined;
}

/** The seeding functions that seed `library`. */
export function seedFunctionsFor(library: SeededLibrary): Set<string> {
  const out = new Set<string>();
  for (const [name, libraries] of SEED_FUNCTIONS) if (libraries.includes(library)) out.add(name);
  return out;
}

/**
 * Calls that do something random, by qualified-name prefix (an entry ending in `.` covers a
 * module): the readiness seeds item applies when code makes one. Seeding functions, seeded
 * generators, PyTorch's loaders and scikit-learn's random calls come from the lists above, so one
 * added there counts here too.
 */
export const RANDOM_CALL_PREFIXES: readonly string[] = [
  ...new Set([
    'os.urandom',
    'numpy.random.',
    'random.',
    'torch.rand',
    'torch.randn',
    'torch.randint',
    'torch.randperm',
    'torch.optim.',
    'torch.utils.data.random_split',
    'torch.nn.',
    'jax.random.',
    'tensorflow.random.',
    'tensorflow.keras.layers.',
    'keras.layers.',
    'sklearn.ensemble.',
    'sklearn.neural_network.',
    'sklearn.cluster.',
    'sklearn.linear_model.SGD',
    'sklearn.model_selection.',
    'sklearn.datasets.make_',
    'xgboost.',
    'lightgbm.',
    'catboost.',
    'transformers.Trainer',
    'lightning.',
    'pytorch_lightning.',
    ...SEED_FUNCTIONS.keys(),
    ...SEEDED_GENERATORS,
    ...TORCH_DATA_LOADERS,
    ...[...SKLEARN_RANDOM].filter(([, when]) => when === 'always').map(([name]) => name),
  ]),
];

/** Seeding functions called as methods, when the receiver cannot be resolved (`L.seed_everything(...)`, `utils.set_seed(...)`). */
export const SEED_METHODS: readonly string[] = ['manual_seed', 'seed_everything', 'set_seed', 'set_random_seed'];

/** Methods that shuffle, sample or seed (`df.sample(...)`, `dataset.shuffle(...)`, `L.seed_everything(...)`). */
export const RANDOM_METHODS: readonly string[] = ['random_shuffle', 'shuffle', 'sample', 'random_split', ...SEED_METHODS];

/** Keywords that only random calls take. */
export const RANDOM_KEYWORDS: readonly string[] = ['random_state', 'seed', 'random_seed', 'shuffle', 'generator'];
