import { gateThresholds } from './pipeline';
import type { DataSpec, Feature, GeneratedFile } from './spec';
import { rowsReadFrom } from './spec';

/**
 * The `model-card` scaffold: MODEL_CARD.md drafted from what is known before the first run: the
 * data profile (rows, features with their ranges, categories and missing values, the target's
 * distribution, the columns left out) and the quality gate's metric targets. What only people
 * know (who acts on the prediction, where it must not be used) is asked, not invented: those
 * lines start with "To confirm".
 */
export function generateModelCard(spec: DataSpec): GeneratedFile[] {
  return [{ path: 'MODEL_CARD.md', content: card(spec) }];
}

const METRIC_TITLES: Record<string, string> = { f1_macro: 'macro F1', balanced_accuracy: 'balanced accuracy', r2: 'R²' };

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function describeFeature(feature: Feature): string {
  const missing = feature.profile.missing > 0 ? `; ${feature.profile.missing} missing` : '';
  switch (feature.kind) {
    case 'numeric':
      return `\`${feature.column}\`: ${feature.integer ? 'integer' : 'number'}, seen from ${feature.profile.min} to ${feature.profile.max} (median ${feature.profile.median})${missing}`;
    case 'category':
      return `\`${feature.column}\`: one of ${feature
        .categories!.slice(0, 8)
        .map((c) => `\`${c}\``)
        .join(', ')}${feature.categories!.length > 8 ? `, … (${feature.categories!.length} values)` : ''}${missing}`;
    case 'bool':
      return `\`${feature.column}\`: true/false${missing}`;
    case 'date':
      return `\`${feature.column}\`: a date (calendar features)${missing}`;
    case 'text':
      return `\`${feature.column}\`: free text${missing}`;
  }
}

function targetLine(spec: DataSpec): string {
  const target = spec.target;
  if (spec.task === 'classification' && target.frequencies) {
    const total = Object.values(target.frequencies).reduce((sum, n) => sum + n, 0) || 1;
    const shares = Object.entries(target.frequencies)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([value, n]) => `\`${value}\` ${percent(n / total)}`);
    return `Target \`${target.name}\` (classification): ${shares.join(', ')}.`;
  }
  return `Target \`${target.name}\` (regression): from ${target.min} to ${target.max}, median ${target.median}.`;
}

function card(spec: DataSpec): string {
  const gate = gateThresholds(spec);
  const primary = gate[0];
  const imbalance =
    spec.task === 'classification' && spec.prior.confidence !== null && spec.prior.confidence >= 0.7
      ? [
          `- The classes are imbalanced: \`${String(spec.prior.prediction)}\` is ${percent(spec.prior.confidence)} of the rows, so accuracy alone says little; the gate uses ${METRIC_TITLES[primary.metric]}.`,
        ]
      : [];
  const optional = spec.features.filter((f) => f.optional).map((f) => `\`${f.column}\``);
  return `# Model card: ${spec.target.name}

Drafted by mlready from \`${spec.dataFileName}\` (${rowsReadFrom(spec)}) and the pipeline's quality gate.
Lines that start with "To confirm" need an answer from the people who own the decision.

## Intended use

- Predicts \`${spec.target.name}\` (${spec.task}) for one record of ${spec.features.length} features, served by \`serving/app.py\` or scored in batch.
- To confirm: the decision this prediction informs, who acts on it, and what happens when the model is unavailable (see the Decision section of the README).
- Out of scope: records outside the ranges and categories listed under Training data; populations the data does not cover.

## Training data

- Source: \`${spec.dataPath}\`, ${spec.rows} rows, validated against the schema in \`pipeline/data.py\`.
- ${targetLine(spec)}
- Features:
${spec.features.map((f) => `  - ${describeFeature(f)}`).join('\n')}
${spec.dropped.length ? `- Left out as identifiers: ${spec.dropped.map((c) => `\`${c}\``).join(', ')}.\n` : ''}
## Metrics

- Success metric: ${METRIC_TITLES[primary.metric]} ≥ ${primary.min} on the held-out test rows (\`${primary.metric}\`, the quality gate's minimum, set with \`${primary.env}\`); raise it to the value the decision needs.
${gate
  .slice(1)
  .map(
    (t) =>
      `- Also gated: ${METRIC_TITLES[t.metric]} ≥ ${t.min} (\`${t.env}\`), and the model must beat the training prior (\`${String(spec.prior.prediction)}\`).`,
  )
  .join('\n')}
- Measured values: \`python -m pipeline.evaluate --report quality-gate.json\` writes them for each model version; record the released version's values here.

## Limitations

- The model has seen only the ranges and categories above; the API rejects values outside them, and a value it never saw in training is extrapolated.
${imbalance.join('\n')}${imbalance.length ? '\n' : ''}${optional.length ? `- Missing values in ${optional.join(', ')} are imputed from the training data.\n` : ''}- To confirm: groups the errors must be compared across (fairness), and uses the model must not be put to.
`;
}
