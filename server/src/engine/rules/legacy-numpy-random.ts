import { defineRule } from '../rule';

/** The functions of NumPy's legacy global `RandomState` (`numpy.random.<name>`), as Ruff's NPY002 lists them. */
const LEGACY = new Set([
  'seed',
  'get_state',
  'set_state',
  'rand',
  'randn',
  'randint',
  'random_integers',
  'random',
  'random_sample',
  'ranf',
  'sample',
  'choice',
  'bytes',
  'shuffle',
  'permutation',
  'beta',
  'binomial',
  'chisquare',
  'dirichlet',
  'exponential',
  'f',
  'gamma',
  'geometric',
  'gumbel',
  'hypergeometric',
  'laplace',
  'logistic',
  'lognormal',
  'logseries',
  'multinomial',
  'multivariate_normal',
  'negative_binomial',
  'noncentral_chisquare',
  'noncentral_f',
  'normal',
  'pareto',
  'poisson',
  'power',
  'rayleigh',
  'standard_cauchy',
  'standard_exponential',
  'standard_gamma',
  'standard_normal',
  'standard_t',
  'triangular',
  'uniform',
  'vonmises',
  'wald',
  'weibull',
  'zipf',
]);

/** Where the `Generator` method is named differently from the legacy function. */
const GENERATOR_METHOD: Record<string, string> = {
  randint: 'integers',
  random_integers: 'integers',
  rand: 'random',
  random_sample: 'random',
  ranf: 'random',
  sample: 'random',
  randn: 'standard_normal',
};

export default defineRule({
  name: 'legacy-numpy-random',
  category: 'reproducibility',
  severity: 'warning',
  scope: 'statement',
  summary: 'The global legacy NumPy random API (`np.random.seed`, `np.random.rand`, …) instead of a seeded `np.random.default_rng(seed)` generator.',
  requiresImport: ['numpy'],
  docs: {
    what: "Flags calls to the functions of NumPy's legacy global random state: `np.random.seed`, `rand`, `randn`, `randint`, `random`, `choice`, `shuffle`, `permutation`, `normal`, `uniform` and the other distributions of `numpy.random`, however `numpy` or `numpy.random` was imported.",
    why: 'These functions share one hidden, process-wide generator. Any library, thread or test that draws from it, or seeds it, changes every number that follows, so a "seeded" experiment stops being reproducible as soon as the code around it changes. NumPy itself calls this API legacy: a `Generator` from `np.random.default_rng(seed)` is passed explicitly, has better statistical properties and makes the seed visible where the randomness is used.',
    example: 'import numpy as np\n\nnp.random.seed(1234)\nnoise = np.random.normal(0.0, 1.0, size=100)\nnp.random.shuffle(order)',
    useInstead: 'import numpy as np\n\nrng = np.random.default_rng(1234)\nnoise = rng.normal(0.0, 1.0, size=100)\nrng.shuffle(order)',
    notes:
      'Methods of a `Generator` (`rng.normal(...)`) and `np.random.default_rng` are never flagged, nor are `np.random.Generator`, `np.random.SeedSequence` and the bit generators. `np.random.RandomState(seed)` is a seeded local generator, not the global state, so it is not flagged either. There is no automatic fix: moving to a `Generator` changes the numbers drawn and sometimes the argument names (`randint` becomes `integers`), which is a decision for the author.',
  },
  create(context) {
    const { model } = context;
    return {
      call(call) {
        const qualified = model.callee(call);
        if (!qualified?.startsWith('numpy.random.')) return;
        const name = qualified.slice('numpy.random.'.length);
        if (!LEGACY.has(name)) return;
        const replacement = GENERATOR_METHOD[name] ?? name;
        const hint =
          name === 'seed' || name === 'get_state' || name === 'set_state'
            ? // (Library code that reads the global state, as scikit-learn does with `random_state=None`,
              // takes the seed as an argument: a `Generator` cannot reach it.)
              'pass the seed where numbers are drawn: `rng = np.random.default_rng(seed)` for NumPy draws, `random_state=seed` to scikit-learn and other libraries'
            : `draw from a seeded generator instead: \`rng = np.random.default_rng(seed)\`, then \`rng.${replacement}(...)\``;
        context.report({
          node: call,
          message: `\`np.random.${name}\` uses NumPy's legacy global random state, which any other code can reseed or advance; ${hint}`,
        });
      },
    };
  },
});
