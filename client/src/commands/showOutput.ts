import type { Command } from '.';

/** mlready: Show Output (also what the status item opens). */
export const showOutput: Command = {
  run(client) {
    client.output.show(true);
  },
};
