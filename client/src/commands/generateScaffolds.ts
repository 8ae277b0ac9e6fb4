import * as vscode from 'vscode';
import { SCAFFOLD_KINDS, type ScaffoldArguments, type ScaffoldCommandKind } from '../../../server/src/protocol';
import type { Command } from '.';

const KIND_LABELS: Partial<Record<ScaffoldCommandKind, { label: string; detail: string }>> = {
  pipeline: { label: 'Training pipeline', detail: 'pipeline/: config, steps carried over from the notebook or script in front, train.py' },
  api: { label: 'Prediction API', detail: 'serving/app.py: a FastAPI service with a typed request and response' },
  fallback: { label: 'Fallback', detail: 'serving/fallback.py: what to answer when the model cannot' },
  monitoring: { label: 'Monitoring', detail: 'monitoring/drift.py: input drift against the training data' },
  ci: { label: 'CI workflow', detail: '.github/workflows/mlready.yml: tests and mlready check on every push' },
  dvc: { label: 'DVC pipeline', detail: 'the data and the training run as versioned DVC stages' },
  'model-card': { label: 'Model card (draft)', detail: 'what the model is for, its data, metrics and limits' },
  decision: { label: 'Decision statement (draft)', detail: 'the decision the model supports and how success is measured' },
};

/** Where the answers of the last run are kept, per workspace. */
export const SCAFFOLD_ANSWERS_KEY = 'mlready.scaffold.answers';

export interface ScaffoldAnswers {
  kinds?: ScaffoldCommandKind[];
  data?: string;
  target?: string;
  out?: string;
}

/**
 * mlready: Generate Production Scaffolds… — one flow for every kind: a multi-select of what to
 * generate (last time's choice preselected), then each scaffold command in turn, given the answers
 * remembered for this workspace (data file, target column, output folder) so they are asked once.
 * The pipeline is generated from the notebook or script in front when there is one.
 */
export const generateScaffolds: Command = {
  async run(client) {
    const state = client.context.workspaceState;
    const answers = state.get<ScaffoldAnswers>(SCAFFOLD_ANSWERS_KEY) ?? {};
    const previous = new Set(answers.kinds ?? ['pipeline', 'api']);
    const picked = await vscode.window.showQuickPick(
      SCAFFOLD_KINDS.map((scaffold) => ({
        label: KIND_LABELS[scaffold]?.label ?? scaffold,
        detail: KIND_LABELS[scaffold]?.detail,
        scaffold,
        picked: previous.has(scaffold),
      })),
      { title: 'mlready: generate production scaffolds', placeHolder: 'What to generate (Space to select, Enter to confirm)', canPickMany: true },
    );
    if (!picked || picked.length === 0) return;
    const kinds = picked.map((p) => p.scaffold);
    await state.update(SCAFFOLD_ANSWERS_KEY, { ...answers, kinds });
    const from = activeSource();
    for (const kind of kinds) {
      const latest = state.get<ScaffoldAnswers>(SCAFFOLD_ANSWERS_KEY) ?? {};
      const args: ScaffoldArguments = { data: latest.data, target: latest.target, out: latest.out, ...(kind === 'pipeline' && from ? { from } : {}) };
      const result = await vscode.commands.executeCommand<{ applied?: boolean } | undefined>(`mlready.scaffold.${kind}`, args);
      if (!result?.applied) return; // cancelled or failed (the scaffold command said why)
    }
  },
};

/** The notebook or Python script in front, saved on disk: what the pipeline is generated from. */
function activeSource(): string | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook && notebook.uri.scheme === 'file') return notebook.uri.toString();
  const document = vscode.window.activeTextEditor?.document;
  if (document && document.uri.scheme === 'file' && document.languageId === 'python') return document.uri.toString();
  return undefined;
}

/** An identifier column (`id`, `customer_id`, `uuid`, `CustomerID`): never a target to predict. */
export function isIdColumn(name: string): boolean {
  return /(^|[_\s-])(id|uuid|guid|key)$/i.test(name) || /^(id|uuid|guid|index)$/i.test(name) || /[a-z]ID$/.test(name);
}
