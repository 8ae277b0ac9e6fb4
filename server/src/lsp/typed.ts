import type { Connection } from 'vscode-languageserver/node';
import type { NotificationType, RequestType } from 'vscode-languageserver-protocol';

// protocol.ts declares its types with the top-level vscode-languageserver-protocol, the copy the
// client library uses; vscode-languageserver bundles an older copy of vscode-jsonrpc whose
// classes TypeScript treats as different (private members). On the wire only the method name
// and the parameters count, so the server registers and sends by method name, typed here.

export function sendNotification<P>(connection: Connection, type: NotificationType<P>, params: P): Promise<void> {
  return connection.sendNotification(type.method, params);
}

export function onRequest<P, R>(connection: Connection, type: RequestType<P, R, void>, handler: (params: P) => R | Promise<R>): void {
  connection.onRequest(type.method, async (params: P): Promise<R> => handler(params));
}
