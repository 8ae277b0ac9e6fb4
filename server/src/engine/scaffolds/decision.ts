import type { DataSpec, GeneratedFile } from './spec';

/**
 * The `decision` scaffold: a "Decision" section in the README that states what the model
 * decides, drafted from the target and the data: what is predicted, for which record, the cost
 * of each kind of error, and what happens without the model. The parts only the owners of the
 * decision can answer are asked as questions; none is made up.
 */
export function generateDecision(spec: DataSpec): GeneratedFile[] {
  return [{ path: 'README.md', mode: 'section', section: 'decision', content: decision(spec) }];
}

function decision(spec: DataSpec): string {
  const classes = spec.classes?.map((c) => `\`${String(c)}\``).join(', ');
  const what =
    spec.task === 'classification' ? `which of ${classes} a record's \`${spec.target.name}\` is` : `the value of \`${spec.target.name}\` for a record`;
  const errors =
    spec.task === 'classification'
      ? `- A false positive (predicting a class that is not the case) costs: to confirm.
- A false negative (missing the case) costs: to confirm. The quality gate weighs both through macro F1; if one error costs more, say which, and the threshold follows.`
      : `- Under- and over-estimates cost: to confirm (equally, or is one worse?). The gate uses R²; if large errors matter most, gate on RMSE instead.`;
  return `## Decision

The model predicts ${what}, from the ${spec.features.length} features of \`${spec.dataFileName}\`.

- Decision it informs: to confirm (for example, which records are reviewed first, or which offer is made).
- Who acts on the prediction, and how often: to confirm.
${errors}
- Without the model (missing, slow or unsure): to confirm. mlready's fallback scaffold answers with the training prior (\`${String(spec.prior.prediction)}\`) and flags the answer; say whether that default is acceptable for the decision.
`;
}
