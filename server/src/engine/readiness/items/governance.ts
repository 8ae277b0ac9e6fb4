import { defineItem, SCAFFOLD, ATTEST_URL } from '../item';
import { callEvidence, dedupe, docFiles, docLabels, docSections, ev, importEvidence, isModelCard, limit, pythonFiles } from '../detect';
import type { Evidence } from '../types';
import type { Workspace } from '../workspace';

const CARD_SECTIONS: { name: string; pattern: RegExp }[] = [
  { name: 'intended use', pattern: /intended use|use cases?|purpose|model details|overview/i },
  { name: 'training data', pattern: /training data|data(set)?s?\b|evaluation data/i },
  { name: 'metrics', pattern: /metrics?|performance|evaluation|results/i },
  { name: 'limitations', pattern: /limitations?|caveats?|risks?|ethical|bias|out of scope|recommendations?/i },
];

/** Hugging Face model cards: a README whose YAML front matter describes a model (`model-index`, `pipeline_tag`, `library_name`, `base_model`). */
function huggingFaceCards(ws: Workspace): string[] {
  return ws.files.filter(
    (rel) =>
      /(^|\/)README\.md$/i.test(rel) && /^---\r?\n[\s\S]*?^(model-index|pipeline_tag|library_name|base_model)\s*:[\s\S]*?^---\s*$/m.test(ws.text(rel) ?? ''),
  );
}

export const modelCard = defineItem({
  id: 'gov-model-card',
  category: 'governance',
  title: 'A model card exists',
  why: 'A model card says what the model is for, what it was trained and evaluated on, how well it does for whom, and where it must not be used. It is what a reviewer, an auditor or the next team reads before trusting the model.',
  detection:
    'A `MODEL_CARD.md` / `model_card.*` file, a Hugging Face model card (a README whose front matter has `model-index`, `pipeline_tag` or `library_name`), or `model_card_toolkit` use, covering intended use, training data, metrics and limitations as headings with text under them or as labelled list items (`- **Intended use**: …`). A card missing two or more of these is partial.',
  attestable: 'yes',
  action: {
    title: 'Write MODEL_CARD.md: intended use, data, metrics per group, limitations',
    command: SCAFFOLD.modelCard,
    url: 'https://huggingface.co/docs/hub/model-cards',
  },
  check(ws) {
    const cards = [...ws.files.filter(isModelCard), ...huggingFaceCards(ws)];
    const toolkit = importEvidence(ws, ['model_card_toolkit'], { roles: ['code'] });
    if (cards.length === 0 && toolkit.length > 0) return { status: 'pass', summary: 'A model card is generated in code.', evidence: toolkit };
    if (cards.length === 0) return { status: 'fail', summary: 'No model card.' };
    const sections = docSections(
      ws,
      cards.filter((rel) => /\.(md|markdown|rst)$/i.test(rel)),
    );
    const structured = cards.filter((rel) => !/\.(md|markdown|rst)$/i.test(rel));
    // Sections are headings with text under them, or labelled list items (`- **Intended use**: …`).
    const labels = docLabels(
      ws,
      cards.filter((rel) => /\.(md|markdown|rst)$/i.test(rel)),
    );
    const covered = CARD_SECTIONS.filter(
      (part) => sections.some((s) => part.pattern.test(s.heading) && s.body > 0) || labels.some((l) => part.pattern.test(l.label)),
    );
    const missing = CARD_SECTIONS.filter((part) => !covered.includes(part)).map((part) => part.name);
    const evidence: Evidence[] = [
      ...cards.map((rel) => ev(rel, 1, 'model card')),
      ...sections.filter((s) => CARD_SECTIONS.some((part) => part.pattern.test(s.heading))).map((s) => ev(s.path, s.line, `section "${s.heading}"`)),
      ...labels.filter((l) => CARD_SECTIONS.some((part) => part.pattern.test(l.label))).map((l) => ev(l.path, l.line, `item "${l.label}"`)),
    ];
    if (structured.length > 0 || missing.length <= 1)
      return {
        status: 'pass',
        summary: missing.length ? `A model card exists (no section on ${missing[0]}).` : 'A complete model card exists.',
        evidence: limit(evidence),
      };
    return { status: 'partial', summary: `The model card lacks sections on ${missing.join(', ')}.`, evidence: limit(evidence) };
  },
});

const EXPLAIN_LIBS = ['shap', 'lime', 'captum', 'interpret', 'eli5', 'alibi.explainers', 'dalex', 'sklearn.inspection', 'dice_ml', 'anchor', 'omnixai'];
const EXPLAIN_HEADING = /explainab|interpretab|interpretation|feature (importance|attribution)|how the model (decides|works)/i;

export const explainability = defineItem({
  id: 'gov-explainability',
  category: 'governance',
  title: 'Predictions can be explained',
  why: 'Users, reviewers and regulators ask why the model said no. Feature attributions (SHAP, LIME, permutation importance) answer that, and they expose a model that learned a shortcut (an ID column, a leak) before it ships.',
  detection:
    'SHAP, LIME, Captum, InterpretML, ELI5, Alibi explainers, DALEX or `sklearn.inspection` in code or notebooks. An interpretation documented only in prose (a README/model card section) is partial.',
  attestable: 'yes',
  action: { title: 'Compute feature attributions (SHAP or permutation importance) and record them in the model card' },
  check(ws) {
    const code = importEvidence(ws, EXPLAIN_LIBS, { roles: ['code', 'notebook', 'test'] }, 'explains with');
    if (code.length > 0) return { status: 'pass', summary: 'Model behaviour is explained with attributions.', evidence: limit(code) };
    const docs = docSections(ws, docFiles(ws)).filter((s) => EXPLAIN_HEADING.test(s.heading) && s.body > 0);
    if (docs.length > 0)
      return {
        status: 'partial',
        summary: 'An interpretation is written down, but nothing computes it.',
        evidence: limit(docs.map((s) => ev(s.path, s.line, `section "${s.heading}"`))),
      };
    return { status: 'fail', summary: "Nothing explains the model's predictions." };
  },
});

const FAIRNESS_LIBS = ['fairlearn', 'aif360', 'aequitas', 'responsibleai', 'raiwidgets', 'fairness_indicators', 'witwidget', 'holisticai'];

export const fairness = defineItem({
  id: 'gov-fairness',
  category: 'governance',
  title: 'Bias and fairness are assessed',
  why: 'A model can be accurate on average and systematically wrong for a group. Measuring error rates per group (age, gender, region) before release is what keeps an average metric from hiding harm, and in many domains it is a legal duty.',
  detection:
    'Fairlearn, AIF360, Aequitas or Responsible AI Toolbox in code or notebooks. A fairness or bias section in the docs or model card is partial; a team that assesses fairness elsewhere attests it.',
  attestable: 'yes',
  action: { title: 'Compare metrics per group with fairlearn.metrics.MetricFrame, or attest the review', url: ATTEST_URL },
  check(ws) {
    const code = importEvidence(ws, FAIRNESS_LIBS, { roles: ['code', 'notebook', 'test'] }, 'assesses fairness with');
    if (code.length > 0) return { status: 'pass', summary: 'Fairness is measured across groups.', evidence: limit(code) };
    const docs = docSections(ws, docFiles(ws)).filter((s) => /fairness|bias/i.test(s.heading) && s.body > 0);
    if (docs.length > 0)
      return {
        status: 'partial',
        summary: 'Fairness is discussed, but not measured in code.',
        evidence: limit(docs.map((s) => ev(s.path, s.line, `section "${s.heading}"`))),
      };
    return { status: 'fail', summary: 'No fairness or bias assessment found.' };
  },
});

/** Record fields that say what the model saw and what it answered. */
const INPUT_KEYS = /^(input|inputs|features|request|payload|record|x|request_id|\w+_id)$/i;
const OUTPUT_KEYS = /^(prediction|predictions|output|outputs|score|result|label|y_pred|answer|response|probability|proba|decision|predicted_\w+)$/i;
const RECORD_WRITES = /^(dumps|dump|write|writelines|insert\w*|add|put_item|put_object|to_sql|to_parquet|to_json|log|info|send|produce|emit)$/;
export const predictionAudit = defineItem({
  id: 'gov-prediction-audit',
  category: 'governance',
  title: 'Predictions leave an audit trail',
  why: 'When a customer disputes a decision months later, the team must say which model version saw which input and answered what. Logging each prediction with its input, output, model version and time is that record, and the dataset for the next model.',
  detection:
    'In application code, judged by what is written rather than names: a structured record holding the input and the answer (`{"input": …, "prediction": …}` dumped, inserted or logged), or whylogs logging of served predictions. A service log line about the prediction without its input, or plain service logging, is partial.',
  attestable: 'yes',
  action: { title: 'Log every prediction with request id, input, output and model version', command: SCAFFOLD.monitoring },
  check(ws) {
    // A record of each prediction, judged by what is written: a structured record with the input and
    // the answer (`{"input": …, "prediction": …}` dumped, inserted or logged), whatever the function is called.
    const records: Evidence[] = [];
    for (const facts of pythonFiles(ws, { roles: ['code'] })) {
      for (const record of facts.records) {
        // Passed to a write directly, or bound to a name that a write receives (`entry = {...}; log.write(entry)`).
        const writer =
          record.call ||
          facts.calls.find((call) => record.name && call.argNames?.includes(record.name) && RECORD_WRITES.test(call.method) && call.name !== 'print')?.name ||
          '';
        const method = writer.slice(writer.lastIndexOf('.') + 1);
        if (!RECORD_WRITES.test(method) || writer === 'print') continue;
        const input = record.keys.find((key) => INPUT_KEYS.test(key));
        const output = record.keys.find((key) => OUTPUT_KEYS.test(key)) ?? (record.spread ? '**…' : undefined);
        if (input && output)
          records.push(ev(facts.path, record.line, `records each prediction with its input (\`${input}\`, \`${output}\`) via \`${writer}()\``, record.cell));
      }
      // Structured log records with keyword fields (structlog, loguru.bind, logging's extra=).
      for (const call of facts.calls) {
        if (!RECORD_WRITES.test(call.method) || call.name === 'print') continue;
        const input = call.keywords.find((key) => INPUT_KEYS.test(key));
        const output = call.keywords.find((key) => OUTPUT_KEYS.test(key));
        if (input && output)
          records.push(ev(facts.path, call.line, `records each prediction with its input (\`${input}\`, \`${output}\`) via \`${call.name}()\``, call.cell));
      }
    }
    const logged: Evidence[] = [];
    // A log line counts in serving code, where each request is one prediction; a batch job's
    // "Predict outputs" line records a run, not the predictions.
    for (const facts of pythonFiles(ws, { roles: ['code'], serving: true })) {
      for (const call of facts.calls) {
        if (
          /^(info|debug|warning|log|msg|bind)$/.test(call.method) &&
          call.strings.some((s) => /predict/i.test(s)) &&
          !/^(builtins\.)?print$/.test(call.name)
        ) {
          logged.push(ev(facts.path, call.line, `logs predictions: \`${call.name}("${call.strings.find((s) => /predict/i.test(s))}")\``, call.cell));
        }
      }
    }
    const whylogs = callEvidence(
      ws,
      { names: ['whylogs.log', 'whylogs.api.logger.log'] },
      { roles: ['code'] },
      () => 'profiles served predictions with whylogs',
    );
    const evidence = dedupe([...records, ...whylogs]);
    if (evidence.length > 0) return { status: 'pass', summary: 'Predictions are recorded.', evidence: limit(evidence) };
    if (logged.length > 0)
      return { status: 'partial', summary: 'The service logs its predictions, but not with the input they answered.', evidence: limit(logged) };
    const serviceLogs = callEvidence(
      ws,
      { names: ['logging.getLogger', 'structlog.get_logger'] },
      { roles: ['code'], serving: true },
      (name) => `the service logs with \`${name}\``,
    );
    if (serviceLogs.length > 0) return { status: 'partial', summary: 'The service logs, but not the predictions it makes.', evidence: limit(serviceLogs) };
    return { status: 'fail', summary: 'Predictions are not recorded anywhere.' };
  },
});

export const GOVERNANCE_ITEMS = [modelCard, explainability, fairness, predictionAudit];
