/**
 * Seeding: the functions that seed each library's random generators, and which libraries draw
 * random numbers at all. Used by `missing-seed` and the readiness seeds item.
 */

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

/** The seeding functions that seed `library`. */
export function seedFunctionsFor(library: SeededLibrary): Set<string> {
  const out = new Set<string>();
  for (const [name, libraries] of SEED_FUNCTIONS) if (libraries.includes(library)) out.add(name);
  return out;
}
