import { defineItem, needsAttestation, ATTEST_URL, SCAFFOLD } from '../item';
import { configScalars, docLines, docSections, excerpt, ev, limit } from '../detect';

const METRIC =
  /\b(accuracy|precision|recall|f1(?:[- ]score)?|f-?beta|roc[- _]?auc|pr[- _]?auc|auc|rmse|mae|mape|smape|mse|r2|r²|log[- _]?loss|ndcg|map@\d+|mrr|bleu|rouge|wer|iou|dice|top-?\d+[- _]accuracy|hit[- _]?rate|uplift|conversion)\b/i;
const TARGET =
  /(>=|≥|<=|≤|>|<|\bat least\b|\bat most\b|\babove\b|\bbelow\b|\btargets?\b|\bthreshold\b|\bminimum\b|\bmaximum\b|\bno (less|more) than\b|\bmust\b|\bshould\b)[^0-9]{0,30}\d+(\.\d+)?\s*%?/i;
const METRIC_KEY = /^(min|max|target|threshold)_|_(min|max|target|threshold)$|^(target|threshold|min|max)$|(success|acceptance)_(metric|criteria)/i;

export const successMetrics = defineItem({
  id: 'problem-success-metrics',
  category: 'problem',
  title: 'Success metrics written down',
  why: 'Without a named metric and the value that counts as good enough, nobody can say whether the model is ready, whether a new version is better, or when it has degraded. The target also turns into the quality gate in CI.',
  detection:
    'A line of the README, model card or docs that names a metric (accuracy, ROC AUC, RMSE, …) together with a target value, or a configuration key such as `min_roc_auc: 0.85` or `threshold` beside a metric name. A metric named without a target is partial.',
  attestable: 'yes',
  action: {
    title:
      'Write the success metric and its target in the README or model card (e.g. "ROC AUC ≥ 0.85 on the hold-out set"); the model card scaffold drafts it from the quality gate',
    command: SCAFFOLD.modelCard,
  },
  check(ws) {
    const withTarget = docLines(ws, METRIC).filter((line) => TARGET.test(line.text.slice(Math.max(0, line.match.index - 40))));
    const fromConfig = configScalars(ws).filter((scalar) => {
      if (typeof scalar.value !== 'number') return false;
      const key = String(scalar.keys[scalar.keys.length - 1] ?? '');
      const context = scalar.keys.map(String).join('.');
      return METRIC_KEY.test(key) && (METRIC.test(context.replace(/_/g, ' ')) || METRIC.test(key.replace(/_/g, ' ')) || /metric/i.test(context));
    });
    if (withTarget.length > 0 || fromConfig.length > 0) {
      return {
        status: 'pass',
        summary: 'A metric and its target are written down.',
        evidence: limit([
          ...withTarget.map((line) => ev(line.path, line.line, `names a metric with a target: "${excerpt(line.text)}"`)),
          ...fromConfig.map((scalar) => ev(scalar.path, scalar.line, `sets \`${scalar.keys.join('.')}\` = ${scalar.value}`)),
        ]),
      };
    }
    const named = docLines(ws, METRIC);
    if (named.length > 0) {
      return {
        status: 'partial',
        summary: 'A metric is named but no target value says what is good enough.',
        evidence: limit(named.map((line) => ev(line.path, line.line, `names a metric without a target: "${excerpt(line.text)}"`))),
      };
    }
    return { status: 'fail', summary: 'No document or configuration names a success metric.' };
  },
});

const DECISION_HEADING =
  /\b(problem|decision|intended use|use cases?|objective|goal|business (context|problem|value)|purpose|motivation|what (it|the model|this model) (does|decides))\b/i;
const DECISION_SENTENCE =
  /\b(the|this|our) (model|system|classifier|service) (predicts?|decides?|classif(y|ies)|flags?|ranks?|recommends?|scores?|estimates?|detects?|forecasts?)\b/i;

export const decisionStated = defineItem({
  id: 'problem-decision-stated',
  category: 'problem',
  title: 'The decision the model makes is stated',
  why: 'A model exists to change a decision: which customers get a retention offer, which transactions are reviewed. Writing that down fixes what a false positive and a false negative cost, who acts on the output, and what happens without the model.',
  detection:
    'A README or model card section titled Problem, Decision, Intended use, Use case, Objective or Goal with text under it. A sentence such as "the model predicts …" without such a section is partial.',
  attestable: 'yes',
  action: { title: 'Add an "Intended use" or "Decision" section to the README or model card: who acts on the prediction, and how', command: SCAFFOLD.decision },
  check(ws) {
    const sections = docSections(ws).filter((section) => DECISION_HEADING.test(section.heading) && section.body > 0);
    if (sections.length > 0) {
      return {
        status: 'pass',
        summary: 'The problem and the decision are described in a section of their own.',
        evidence: limit(sections.map((section) => ev(section.path, section.line, `section "${excerpt(section.heading, 60)}" (${section.body} lines)`))),
      };
    }
    const sentences = docLines(ws, DECISION_SENTENCE);
    if (sentences.length > 0) {
      return {
        status: 'partial',
        summary: 'The README says what the model predicts, but not which decision it serves.',
        evidence: limit(sentences.map((line) => ev(line.path, line.line, `"${excerpt(line.text)}"`))),
      };
    }
    return { status: 'fail', summary: 'No document states what the model decides or for whom.' };
  },
});

export const iterativeExpectations = defineItem({
  id: 'problem-iterative-expectations',
  category: 'problem',
  title: 'Stakeholders know ML is iterative',
  why: 'The first model is rarely the one that ships, and a shipped model decays as the world changes. Stakeholders who expect a one-off delivery cut the budget for retraining, monitoring and error analysis that keep the model useful.',
  detection:
    'Code cannot show this: attest it in `[tool.mlready.readiness]` once the plan for iterations, retraining and their cost has been agreed with the people who rely on the model.',
  attestable: 'only',
  action: { title: 'Agree the iteration plan with stakeholders, then attest it', url: ATTEST_URL },
  check: () => needsAttestation('the iteration and retraining plan is agreed'),
});

export const PROBLEM_ITEMS = [successMetrics, decisionStated, iterativeExpectations];
