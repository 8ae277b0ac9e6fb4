import { isMainThread, workerData } from 'node:worker_threads';
import { processIo, UsageError, type CliIo, type CommandContext } from './cli/io';
import { VERSION } from './version';
import { redact } from './engine/index';

type Command = (argv: string[], io: CliIo, context: CommandContext) => Promise<number>;

/** Subcommands load on demand, so `mlready rules` does not pay for the language server. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: { summary: 'check Python files and notebooks for demo-to-production antipatterns', load: async () => (await import('./cli/check')).run },
  rules: { summary: 'list the rules', load: async () => (await import('./cli/rules')).run },
  rule: { summary: "print one rule's page", load: async () => (await import('./cli/rules')).runOne },
  readiness: { summary: "assess the project's production readiness (CI gate with --min-score)", load: async () => (await import('./cli/readiness')).run },
  scaffold: { summary: 'generate production code (pipeline, api, fallback, monitoring, ci)', load: async () => (await import('./cli/scaffold')).run },
  server: { summary: 'run the language server (--stdio)', load: async () => (await import('./cli/server')).run },
};

const HELP = `mlready ${VERSION}: from ML demo to production

Usage: mlready <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`mlready <command> --help\` for a command's options.
`;

export async function main(argv: string[], rawIo: CliIo, context: CommandContext = {}): Promise<number> {
  // The CLI's one output sink: whatever a command prints passes through the redaction step.
  const io: CliIo = { ...rawIo, out: (s) => rawIo.out(redact(s)), err: (s) => rawIo.err(redact(s)) };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.out(`mlready ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`error: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await command.load())(rest, io, context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return 2;
    }
    io.err(`error: mlready failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

/** Runs the command line as the `mlready` program (dist/cli.js, through bin.ts), then sets the exit code. */
export function runCli(argv: string[], context: CommandContext = {}): void {
  main(argv, processIo(), context)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(`error: ${String(error)}\n`);
        process.exitCode = 2;
      },
    )
    .finally(() => {
      context.prestarted?.dispose();
      context.prestartedFacts?.dispose();
    });
}

if (!isMainThread && (workerData as { mlreadyCheckWorker?: boolean } | undefined)?.mlreadyCheckWorker) {
  // A check worker started from this bundle (see cli/pool.ts).
  void import('./cli/pool').then((pool) => pool.runWorker());
} else if (require.main === module) {
  runCli(process.argv.slice(2));
}
