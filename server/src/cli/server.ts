import { startServer } from '../lsp/start';
import type { CliIo } from './io';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];

const USAGE = `usage: mlready server --stdio

Runs the mlready language server for any LSP editor, talking JSON-RPC over standard
input and output (--node-ipc, --socket=PORT and --pipe=NAME work too).
`;

/** `mlready server --stdio`: the language server, the same as `node dist/server.js --stdio`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  if (!argv.some((arg) => TRANSPORTS.some((transport) => arg === transport || (transport.endsWith('=') && arg.startsWith(transport))))) {
    io.err(`mlready server: name a transport, e.g. --stdio\n\n${USAGE}`);
    return 2;
  }
  // vscode-languageserver reads the transport from process.argv; the server then lives until the
  // client sends `exit`, which ends the process. This promise never settles on purpose, so the
  // CLI does not exit under the server.
  startServer();
  return new Promise<number>(() => undefined);
}
