// Preloaded into the CLI by the stress test: reports the process's peak memory at exit.
process.on('exit', () => process.stderr.write(`MAXRSS_KB ${process.resourceUsage().maxRSS}\n`));
