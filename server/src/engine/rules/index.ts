import type { Rule } from '../rule';
import missingSeed from './missing-seed';
import hardcodedPath from './hardcoded-path';
import hardcodedSecret from './hardcoded-secret';
import legacyNumpyRandom from './legacy-numpy-random';
import notebookOutOfOrder from './notebook-out-of-order';
import notebookPipInstall from './notebook-pip-install';
import dataLeakage from './data-leakage';
import accuracyOnly from './accuracy-only';
import chainedAssignment from './chained-assignment';
import swallowedError from './swallowed-error';
import requestWithoutTimeout from './request-without-timeout';
import unsafeDeserialization from './unsafe-deserialization';
import printLogging from './print-logging';
import hardcodedDevice from './hardcoded-device';
import missingZeroGrad from './missing-zero-grad';
import missingEvalMode from './missing-eval-mode';
import untrackedTraining from './untracked-training';
import unversionedArtifact from './unversioned-artifact';
import rowWisePredict from './row-wise-predict';
import modelLoadPerRequest from './model-load-per-request';
import unvalidatedRequestPayload from './unvalidated-request-payload';
import promptInjectionRisk from './prompt-injection-risk';
import trainingServingSkew from './training-serving-skew';
import syntaxError from './syntax-error';
import llmCallWithoutTimeout from './llm-call-without-timeout';
import unpinnedModelDownload from './unpinned-model-download';
import debugServer from './debug-server';
import blockingCallInAsyncHandler from './blocking-call-in-async-handler';
import unvalidatedLlmOutput from './unvalidated-llm-output';
import unknownSuppression, { knowRuleNames } from './unknown-suppression';

/** Every rule mlready has. A rule's file is named after it; the meta-tests check both. */
export const RULES: readonly Rule[] = [
  missingSeed,
  hardcodedPath,
  hardcodedSecret,
  legacyNumpyRandom,
  notebookOutOfOrder,
  notebookPipInstall,
  dataLeakage,
  accuracyOnly,
  chainedAssignment,
  swallowedError,
  requestWithoutTimeout,
  unsafeDeserialization,
  printLogging,
  hardcodedDevice,
  missingZeroGrad,
  missingEvalMode,
  untrackedTraining,
  unversionedArtifact,
  rowWisePredict,
  modelLoadPerRequest,
  unvalidatedRequestPayload,
  promptInjectionRisk,
  trainingServingSkew,
  syntaxError,
  llmCallWithoutTimeout,
  unpinnedModelDownload,
  debugServer,
  blockingCallInAsyncHandler,
  unvalidatedLlmOutput,
  unknownSuppression,
];

export const RULE_NAMES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.name));
knowRuleNames(RULE_NAMES);

export function findRule(name: string): Rule | undefined {
  return RULES.find((rule) => rule.name === name);
}

/** Where a rule's page lives; diagnostics link to it as `codeDescription.href`. */
export const DOCS_BASE_URL = 'https://github.com/mlready/mlready/blob/main/docs/rules';

export function ruleUrl(name: string): string {
  return `${DOCS_BASE_URL}/${name}.md`;
}
