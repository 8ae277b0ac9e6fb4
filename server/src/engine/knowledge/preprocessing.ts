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

/** Pipelines and composites that keep preprocessing and model together. */
export const PIPELINE_BUILDERS: ReadonlySet<string> = new Set([
  'sklearn.pipeline.Pipeline',
  'sklearn.pipeline.make_pipeline',
  'imblearn.pipeline.Pipeline',
  'imblearn.pipeline.make_pipeline',
  'sklearn.compose.ColumnTransformer',
  'sklearn.compose.make_column_transformer',
  'sklearn.pipeline.FeatureUnion',
  'sklearn.pipeline.make_union',
]);

/** True when a qualified class name is preprocessing. */
export function isPreprocessingType(type: string): boolean {
  return PREPROCESSING_MODULES.some((prefix) => type.startsWith(prefix)) && !/Classifier$|Regressor$|Regression$/.test(type);
}
