/**
 * Preprocessing: the scikit-learn (and companion) classes that learn statistics from the data
 * they are fitted on (scalers, encoders, imputers, vectorizers, selectors, projections), which a
 * model needs again, unchanged, at prediction time.
 */

/** Modules whose estimators learn statistics from the data they are fitted on. */
export const PREPROCESSING_MODULES: readonly string[] = [
  'sklearn.preprocessing.',
  'sklearn.impute.',
  'sklearn.feature_selection.',
  'sklearn.decomposition.',
  'sklearn.feature_extraction.',
  'sklearn.random_projection.',
  'sklearn.kernel_approximation.',
  'sklearn.cross_decomposition.',
  'imblearn.over_sampling.',
  'imblearn.under_sampling.',
  'imblearn.combine.',
  'imblearn.',
  'category_encoders.',
];

/** Preprocessing classes by their name, when the module cannot be seen. */
export const PREPROCESSING_CLASS = /(Scaler|Encoder|Imputer|Vectori[sz]er|Normali[sz]er|Binari[sz]er|Discreti[sz]er|Selector|PCA|SVD)$/;

/** Names that say a variable holds a fitted preprocessor (`scaler`, `ohe`, `tfidf`, `vectorizer`). */
export const PREPROCESSOR_NAME =
  /(^|_)(scaler|sc|ss|mms|encoder|enc|ohe|le|imputer|vectori[sz]er|vec|tfidf|cv|count_vect|pca|svd|normali[sz]er|binari[sz]er|discreti[sz]er|selector|transformer|preprocessor|preproc)(_\w+)?$/i;

/** Pipelines: steps run in order, usually ending in a model. */
export const PIPELINES: ReadonlySet<string> = new Set([
  'sklearn.pipeline.Pipeline',
  'sklearn.pipeline.make_pipeline',
  'imblearn.pipeline.Pipeline',
  'imblearn.pipeline.make_pipeline',
]);

/** Whole preprocessing graphs: transformers combined by column or side by side. */
export const PREPROCESSING_COMPOSITES: ReadonlySet<string> = new Set([
  'sklearn.compose.ColumnTransformer',
  'sklearn.compose.make_column_transformer',
  'sklearn.pipeline.FeatureUnion',
  'sklearn.pipeline.make_union',
]);

/** Pipelines and composites that keep preprocessing and model together. */
export const PIPELINE_BUILDERS: ReadonlySet<string> = new Set([...PIPELINES, ...PREPROCESSING_COMPOSITES]);

/** True when a qualified class name is preprocessing. */
export function isPreprocessingType(type: string): boolean {
  return PREPROCESSING_MODULES.some((prefix) => type.startsWith(prefix)) && !/Classifier$|Regressor$|Regression$/.test(type);
}

/** Modules besides preprocessing whose fits learn a transformation, not a model: column composition, manifold embeddings, tokenizers. */
const TRANSFORMATION_MODULES = /^(sklearn\.(compose|manifold)|feature_engine|tokenizers)\./;

/** Class names of fitted transformations (preprocessing, column transformers, tokenizers, resamplers), when the module says nothing. */
export const TRANSFORMATION_CLASS = new RegExp(`${PREPROCESSING_CLASS.source}|(Transformer|Tokeni[sz]er|Sampler|SMOTE)$`);

/** Names that say a variable holds a transformation rather than a model (`scaler`, `tfidf`, `tokenizer`, `smote`). */
export const TRANSFORMATION_NAME =
  /scal|encod|imput|vectori[sz]|tokeni[sz]|transformer|preproc|prep$|pca|svd|normali[sz]|binari[sz]|selector|tfidf|featuri[sz]|discreti[sz]|sampler|smote|lda$/i;

/**
 * True when fitting an instance of `type` learns a transformation of the data rather than a model:
 * preprocessing, column composition, manifold embeddings, resamplers, tokenizers. A pipeline is
 * not one: it ends in a model.
 */
export function isFittedTransformation(type: string): boolean {
  if (PIPELINES.has(type)) return false;
  return isPreprocessingType(type) || TRANSFORMATION_MODULES.test(type) || TRANSFORMATION_CLASS.test(type.split('.').pop() ?? '');
}
