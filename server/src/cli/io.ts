/** What a CLI command may touch of the outside world, so tests can run commands in-process. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  isTTY: boolean;
  cwd: string;
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
