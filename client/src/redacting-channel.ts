import type * as vscode from 'vscode';
import { redact } from '../../server/src/protocol';

/** The channel methods that write text; every other member is the wrapped channel's own. */
const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The protocol trace (`mlready.trace.server`) is written by vscode-languageclient and carries the
 * documents the client sends, secrets included. This channel passes every line through the same
 * redaction the server's own logs use before it reaches the output panel.
 */
export function redactingChannel(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !WRITERS.has(property) || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) =>
        value.apply(
          target,
          args.map((arg) => (typeof arg === 'string' ? redact(arg) : arg)),
        );
    },
  });
}
