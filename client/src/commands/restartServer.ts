import type { Command } from '.';

/** mlready: Restart Language Server. */
export const restartServer: Command = {
  async run(client) {
    client.output.appendLine('mlready: restarting the language server on request.');
    await client.restart();
  },
};
