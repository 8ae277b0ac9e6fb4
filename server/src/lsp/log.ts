import type { Connection } from 'vscode-languageserver/node';
import { StatusNotification, type StatusParams } from '../protocol';
import { sendNotification } from './typed';
import { ParserFailedError, redact } from '../engine/index';

/**
 * The server's voice: lines in the client's output channel, one warning per failing rule
 * (a rule that throws is logged and shown once, never crashes the server), and the status item.
 */
export class Log {
  private readonly failedRules = new Set<string>();

  constructor(private readonly connection: Connection) {}

  /** `mlready.logLevel`: what reaches the output channel. */
  private level: 'error' | 'warning' | 'info' | 'debug' = 'info';
  /** `mlready.showNotifications`: which messages also pop up. */
  private notifications: 'off' | 'onError' | 'onWarning' | 'always' = 'onWarning';

  configure(settings: { logLevel: 'error' | 'warning' | 'info' | 'debug'; showNotifications: 'off' | 'onError' | 'onWarning' | 'always' }): void {
    this.level = settings.logLevel;
    this.notifications = settings.showNotifications;
    this.verbose = settings.logLevel === 'debug';
  }

  /** Every line the server logs passes through the redaction step. */
  info(message: string): void {
    if (this.level === 'info' || this.level === 'debug') this.connection.console.info(redact(message));
  }

  /** A pop-up, if `mlready.showNotifications` lets this level through. */
  notify(level: 'error' | 'warning' | 'info', message: string): void {
    const shown =
      this.notifications === 'always' || (this.notifications === 'onWarning' && level !== 'info') || (this.notifications === 'onError' && level === 'error');
    if (!shown) return;
    const text = redact(message);
    if (level === 'error') void this.connection.window.showErrorMessage(text);
    else if (level === 'warning') void this.connection.window.showWarningMessage(text);
    else void this.connection.window.showInformationMessage(text);
  }

  /** Verbose detail (timings per analysis): built only when the client asked for debug logs. */
  debug(message: () => string): void {
    if (this.verbose) this.connection.console.log(redact(message()));
  }

  /** Set from `mlready.logLevel` (debug shows per-analysis timings). */
  verbose = false;

  warn(message: string): void {
    if (this.level !== 'error') this.connection.console.warn(redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : error !== undefined ? String(error) : '';
    this.connection.console.error(redact(detail ? `${message}: ${detail}` : message));
  }

  status(params: StatusParams): void {
    void sendNotification(this.connection, StatusNotification, { ...params, message: redact(params.message) });
  }

  /** A rule threw: say so once per rule for the life of the server. */
  private readonly tooLargeFiles = new Set<string>();

  ruleFailed(rule: string, file: string, message: string): void {
    if (this.failedRules.has(rule)) return;
    this.failedRules.add(rule);
    const text = `mlready: rule ${rule} failed on ${file} (${message}); its findings are missing, the other rules still run.`;
    this.warn(text);
    this.notify('warning', text);
    this.status({ state: 'warning', message: `rule ${rule} failed` });
  }

  /** A document too large to analyse as the user types: say so once per document. */
  tooLarge(file: string, size: number): void {
    if (this.tooLargeFiles.has(file)) return;
    this.tooLargeFiles.add(file);
    const text = `mlready: ${file} is too large to analyse as you type (${Math.round(size / 1024)} KB); run \`mlready check\` on it instead.`;
    this.warn(text);
    this.notify('warning', text);
  }

  /** Runs a handler so that a bug in it is logged and answered with `fallback`, never a crash. */
  guard<T>(name: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      this.handlerFailed(name, error);
      return fallback;
    }
  }

  async guardAsync<T>(name: string, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.handlerFailed(name, error);
      return fallback;
    }
  }

  /**
   * What happens once tree-sitter's WebAssembly module has aborted (`ParserFailedError`): it cannot
   * be loaded again in this process, so the server would answer every document with nothing.
   * start.ts ends the process, and the client starts a new server.
   */
  onParserStopped: (() => void) | undefined;
  private parserStopped = false;

  /**
   * Runs a request handler whose errors are its answer (the scaffold requests): the error still
   * goes back to the client, and a stopped parser is also handed over as in `guard`.
   */
  async answering<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ParserFailedError) this.parserStoppedBy(error);
      throw error;
    }
  }

  private handlerFailed(name: string, error: unknown): void {
    if (error instanceof ParserFailedError) this.parserStoppedBy(error);
    else this.error(`${name} failed`, error);
  }

  private parserStoppedBy(error: ParserFailedError): void {
    if (this.parserStopped) return;
    this.parserStopped = true;
    const text = `mlready: the Python parser stopped (${error.message}) and can parse nothing more in this language server, which restarts.`;
    this.error(text);
    this.notify('error', text);
    this.status({ state: 'error', message: 'the Python parser stopped; the server restarts' });
    this.onParserStopped?.();
  }
}
