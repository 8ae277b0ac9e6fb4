import type { CheckResult, ItemAction } from './types';
import type { Workspace } from './workspace';

export type CategoryId = 'problem' | 'data' | 'reproducibility' | 'serving' | 'integration' | 'operations' | 'governance' | 'genai';

/**
 * One checklist item: what it asks, why it matters, how it is detected, what closes it, and
 * the check. `attestable` says whether a written attestation can stand in for evidence:
 * `only` when code cannot show it at all, `yes` when code usually shows it but a team may
 * have it elsewhere, `no` when the check counts problems an attestation must not hide.
 */
export interface ItemDefinition {
  id: string;
  category: CategoryId;
  title: string;
  why: string;
  /** How the check decides, in a sentence or two (rendered into docs/readiness.md). */
  detection: string;
  attestable: 'only' | 'yes' | 'no';
  /** Set for items that apply only to a kind of project (the LLM items): their not-applicable needs no code to be earned. */
  onlyFor?: 'llm';
  action: ItemAction;
  check(ws: Workspace): CheckResult;
}

export function defineItem(item: ItemDefinition): ItemDefinition {
  return item;
}

/** The check of an item that only an attestation can close. */
export function needsAttestation(what: string): CheckResult {
  return { status: 'fail', summary: `Code cannot show this; attest it once ${what}.` };
}

export const SCAFFOLD = {
  pipeline: 'mlready.scaffold.pipeline',
  api: 'mlready.scaffold.api',
  fallback: 'mlready.scaffold.fallback',
  monitoring: 'mlready.scaffold.monitoring',
  ci: 'mlready.scaffold.ci',
  dvc: 'mlready.scaffold.dvc',
  modelCard: 'mlready.scaffold.model-card',
  decision: 'mlready.scaffold.decision',
} as const;

export const ATTEST_URL = 'https://github.com/mlready/mlready/blob/main/docs/readiness.md#attestations';
