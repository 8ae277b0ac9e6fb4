import { defineRule } from '../rule';
import { addKeywordArgument, hasSplat, keywordArgument, stringValue } from '../fixes';
import type { SyntaxNode } from '../parser';
import { seedFunctionsFor } from '../knowledge';

const SKLEARN_RANDOM = new Map<string, 'always' | 'shuffle' | 'solver' | 'pca'>([
  ['sklearn.model_selection.train_test_split', 'always'],
  ['sklearn.model_selection.ShuffleSplit', 'always'],
  ['sklearn.model_selection.StratifiedShuffleSplit', 'always'],
  ['sklearn.model_selection.GroupShuffleSplit', 'always'],
  ['sklearn.model_selection.RepeatedKFold', 'always'],
  ['sklearn.model_selection.RepeatedStratifiedKFold', 'always'],
  ['sklearn.model_selection.KFold', 'shuffle'],
  ['sklearn.model_selection.StratifiedKFold', 'shuffle'],
  ['sklearn.model_selection.RandomizedSearchCV', 'always'],
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

// Solvers of LogisticRegression that shuffle the data with random_state.
const RANDOM_SOLVERS = new Set(['sag', 'saga', 'liblinear']);
/** Calls that seed NumPy's global generator, which scikit-learn draws from when given no `random_state`. */
const NUMPY_GLOBAL_SEED = seedFunctionsFor('numpy');

/** Accepts re-exports such as `sklearn.model_selection._split.train_test_split` by their public name. */
function lookup(calleeName: string): [string, 'always' | 'shuffle' | 'solver' | 'pca'] | undefined {
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

function isLiteral(node: SyntaxNode | undefined, value: 'True' | 'None'): boolean {
  return node?.type === (value === 'True' ? 'true' : 'none');
}

export default defineRule({
  name: 'missing-seed',
  category: 'reproducibility',
  severity: 'warning',
  summary: 'A scikit-learn split, search or model that depends on randomness is called without `random_state`.',
  fix: 'safe',
  requiresImport: ['sklearn'],
  docs: {
    what: 'Flags scikit-learn calls whose result depends on a random draw and that get no `random_state`: `train_test_split`, the shuffle splitters, `KFold`/`StratifiedKFold` with `shuffle=True`, `RandomizedSearchCV`, random forests, extra trees, gradient boosting, bagging, `IsolationForest`, `KMeans`, MLPs, SGD, `TSNE`, `permutation_importance`, `resample`, `shuffle`, `PCA(svd_solver="randomized")`, `TruncatedSVD` and `LogisticRegression` with the `sag`, `saga` or `liblinear` solver.',
    why: 'Without a seed every run draws a different split or initialisation, so metrics move between runs for no reason, a colleague cannot reproduce a result, and a regression cannot be told apart from noise. A pipeline that is retrained in production must produce the same model from the same data.',
    example: 'from sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)',
    useInstead: 'from sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)',
    fixSafety: 'Safe: adding `random_state` fixes one of the draws the call would have made anyway; the code keeps its meaning and becomes repeatable. The seed is `seed` from `[tool.mlready]` (default 42).',
    notes: 'Not flagged when `numpy.random.seed(...)` runs earlier in the same file or notebook, because scikit-learn then draws from the seeded global generator; nor when `**kwargs` may carry the seed; nor for estimators whose default solver is deterministic (`LogisticRegression` with `lbfgs`, decision trees, `PCA` with its default solver). XGBoost, LightGBM and CatBoost use a fixed seed when none is given (0 or their C++ defaults), so their constructors are not flagged. An explicit `random_state=None` is flagged like a missing one.',
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
    return {
      call(call) {
        const qualified = model.callee(call);
        if (!qualified?.startsWith('sklearn.')) return;
        const entry = lookup(qualified);
        if (!entry) return;
        const [, kind] = entry;
        if (kind === 'shuffle' && !isLiteral(keywordArgument(call, 'shuffle'), 'True')) return;
        if (kind === 'solver') {
          const solver = keywordArgument(call, 'solver');
          const value = solver ? stringValue(solver) : undefined;
          if (value === undefined || !RANDOM_SOLVERS.has(value)) return;
        }
        if (kind === 'pca') {
          const solver = keywordArgument(call, 'svd_solver');
          if (!solver || stringValue(solver) !== 'randomized') return;
        }
        if (kind === 'always' && qualified.endsWith('train_test_split')) {
          const shuffle = keywordArgument(call, 'shuffle');
          if (shuffle?.type === 'false') return;
        }
        const seed = keywordArgument(call, 'random_state');
        if (seed && !isLiteral(seed, 'None')) return;
        if (!seed && hasSplat(call)) return;
        if (seededBefore(call.startIndex)) return;
        const name = qualified.split('.').pop();
        const value = String(context.settings.seed);
        const edit = seed ? { start: seed.startIndex, end: seed.endIndex, text: value } : addKeywordArgument(call, 'random_state', value);
        context.report({
          node: call,
          message: `\`${name}\` without \`random_state\`: results change on every run; pass \`random_state=${value}\``,
          fix: edit ? { title: `Add random_state=${value}`, applicability: 'safe', edits: [edit] } : undefined,
        });
      },
    };
  },
});
