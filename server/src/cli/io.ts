import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { PrestartedWorker } from './prestart';
import type { Worker } from 'node:worker_threads';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What a CLI command may touch of the outside world, so tests can run commands in-process. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  isTTY: boolean;
  cwd: string;
}

/** What the program's entry (bin.ts) hands a command besides its arguments and streams. */
export interface CommandContext {
  /** A check worker started before the CLI's bundle loaded: `check` takes it, `runCli` stops it otherwise. */
  prestarted?: PrestartedWorker;
  /** The readiness scan's first analysis thread, started likewise: `readiness` takes it. */
  prestartedFacts?: PrestartedWorker<{ worker: Worker }>;
}

/** The process's own standard streams. */
export function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}

/** Thrown for a bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** `parseArgs` with positionals allowed, where a bad flag is a usage error (one line, exit 2). */
export function parseCommandLine<const T extends ParseArgsOptionsConfig>(
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: T }>> {
  try {
    return parseArgs<{ args: string[]; allowPositionals: true; options: T }>({ args: argv, allowPositionals: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Checks a `--format` value against the formats a command supports. */
export function checkFormat<F extends string>(value: string | undefined, formats: readonly F[]): F {
  if (!formats.includes(value as F)) throw new UsageError(`--format must be one of ${formats.join(', ')}, not "${value}"`);
  return value as F;
}
