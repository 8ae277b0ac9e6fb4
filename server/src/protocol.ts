// Custom requests and notifications shared by the language server and the VS Code client.
// Declared once, typed; both sides import this file (the bundler inlines it into each).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ReadinessReport } from './engine/readiness/types';

/** The language server's name, shown in the output channel and the status item. */
export const SERVER_NAME = 'mlready';

/** Code action kinds the server offers beyond `quickfix`. */
export const FIX_ALL_KIND = 'source.fixAll.mlready';
export const NOTEBOOK_FIX_ALL_KIND = 'notebook.source.fixAll.mlready';

/** What the client passes at start-up (`initializationOptions`). */
export interface InitializationOptions {
  /**
   * False in an untrusted workspace: the server then ignores configuration read from the
   * workspace (`pyproject.toml`) that could change its behaviour. Absent means trusted
   * (editors other than VS Code have no notion of workspace trust).
   */
  trusted?: boolean;
}

export type ServerState = 'running' | 'warning' | 'error';

export interface StatusParams {
  state: ServerState;
  /** One line for the status item, e.g. "mlready: rule data-leakage failed on churn.ipynb". */
  message: string;
}

/** Server → client: the server's health changed (engine loaded, a rule failed, the engine could not load). */
export const StatusNotification = new NotificationType<StatusParams>('mlready/status');

export interface ReadinessParams {
  /** The workspace folder's URI; default: the server's first workspace folder (or rootUri). */
  folder?: string;
  /** Recompute now instead of answering from the cache. */
  refresh?: boolean;
}

/** The readiness report of one workspace folder (see server/src/engine/readiness/types.ts), with that folder's URI. */
export interface WorkspaceReadinessReport extends ReadinessReport {
  folder: string;
}

/** Client → server: the folder's readiness report (cached; computed in the background); null without a folder. */
export const ReadinessRequest = new RequestType<ReadinessParams, WorkspaceReadinessReport | null, void>('mlready/readiness');

export interface ReadinessChangedParams {
  folder: string;
  score: number;
  band: string;
}

/** Server → client: a fresh readiness report is ready (files changed); ask for it with ReadinessRequest. */
export const ReadinessChangedNotification = new NotificationType<ReadinessChangedParams>('mlready/readinessChanged');
