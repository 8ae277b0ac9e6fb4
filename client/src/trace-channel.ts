import * as vscode from 'vscode';
import { redactingChannel } from './redacting-channel';

/** Whether `mlready.trace.server` asks for the protocol trace. */
function traceSetting(): boolean {
  return vscode.workspace.getConfiguration('mlready').get<string>('trace.server', 'off') !== 'off';
}

/**
 * The channel vscode-languageclient writes the protocol trace to, redacted. The library traces
 * only while that channel's log level is Trace, and only then reads `mlready.trace.server`: with
 * the output channel at its default level (Info) the setting did nothing until the user also set
 * the channel's level to Trace ("Developer: Set Log Level"). Here the channel reports Trace while
 * the setting is on (and tells the library when the setting changes), and the trace lines are
 * written at info level, so they show in the channel as it is.
 */
export function traceChannel(channel: vscode.LogOutputChannel): { channel: vscode.LogOutputChannel; dispose(): void } {
  const redacted = redactingChannel(channel);
  // Read once and on each change of the setting, not on every traced message.
  let tracing = traceSetting();
  const level = (): vscode.LogLevel => (tracing ? vscode.LogLevel.Trace : channel.logLevel);
  const levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  const subscriptions: vscode.Disposable[] = [
    levelChanged,
    channel.onDidChangeLogLevel(() => levelChanged.fire(level())),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('mlready.trace.server')) return;
      tracing = traceSetting();
      levelChanged.fire(level());
    }),
  ];
  const traced = new Proxy(redacted, {
    get(target, property, receiver) {
      if (property === 'logLevel') return level();
      if (property === 'onDidChangeLogLevel') return levelChanged.event;
      if (property === 'trace') return (message: string, ...args: unknown[]) => (tracing ? redacted.info(message, ...args) : redacted.trace(message, ...args));
      return Reflect.get(target, property, receiver);
    },
  });
  return {
    channel: traced,
    dispose() {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
