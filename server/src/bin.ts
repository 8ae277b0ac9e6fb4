// The `mlready` program (dist/cli.js). For `mlready check` it starts a check worker first, for
// `mlready readiness` its first analysis thread, and only then loads the CLI's bundle
// (dist/cli-main.js, every command: about 100 ms to compile and load), so that the worker's own
// start overlaps with it (cli/prestart.ts). Only Node's modules and
// cli/prestart.ts are bundled here; the CLI is loaded at run time from beside this file.
import * as path from 'node:path';
import { PrestartedWorker, commandWithWorkers, startCheckWorker, startFactsWorker } from './cli/prestart';
import type * as Cli from './cli';

const argv = process.argv.slice(2);
const command = commandWithWorkers(argv);
const bundle = path.join(__dirname, 'check-worker.js');
const context = {
  prestarted: command === 'check' ? new PrestartedWorker(() => startCheckWorker(bundle)) : undefined,
  prestartedFacts: command === 'readiness' ? new PrestartedWorker(() => startFactsWorker(bundle)) : undefined,
};
const cli = require('./cli-main.js') as typeof Cli;
cli.runCli(argv, context);
