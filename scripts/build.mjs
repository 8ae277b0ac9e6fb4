// One esbuild step: the client, the server and the CLI, with the tree-sitter WebAssembly beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Prefer ESM builds: jsonc-parser's UMD `main` requires its own files at run time, which a bundle cannot.
  mainFields: ['module', 'main'],
  // web-tree-sitter's CJS build reads import.meta only in its ESM build; keep the bundle quiet about it.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const results = await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir, external: ['vscode'] }),
  // readiness-worker: the thread the server scans a workspace in (server/src/lsp/readiness.ts).
  esbuild.build({ ...common, entryPoints: { server: 'server/src/server.ts', 'readiness-worker': 'server/src/lsp/readiness-worker.ts' }, outdir }),
  // cli-main: every command; check-worker: what each `mlready check` worker loads (cli/pool.ts), a
  // bundle without the LSP server and the other commands.
  esbuild.build({ ...common, entryPoints: { 'cli-main': 'server/src/cli.ts', 'check-worker': 'server/src/cli/check-worker.ts' }, outdir }),
  // cli: the `mlready` program, a small entry that starts a check worker before loading cli-main (server/src/bin.ts).
  esbuild.build({
    ...common,
    entryPoints: { cli: 'server/src/bin.ts' },
    outdir,
    external: ['./cli-main.js'],
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
]);
// A warning is a bundle that differs from the source the tests run: esbuild dropped `import
// './schema'` (zod's English messages) as free of side effects, and only the bundle said
// "Invalid input". The build fails instead.
const warnings = results.reduce((count, result) => count + result.warnings.length, 0);
if (warnings > 0) {
  console.error(`build: ${warnings} esbuild warning(s) above; a warning fails the build`);
  process.exit(1);
}
chmodSync(join(outdir, 'cli.js'), 0o755);

copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), join(outdir, 'tree-sitter-python.wasm'));
const webTreeSitter = dirname(require.resolve('web-tree-sitter'));
copyFileSync(join(webTreeSitter, 'web-tree-sitter.wasm'), join(outdir, 'web-tree-sitter.wasm'));
// The scaffolds' static Python, read at run time by server/src/engine/scaffolds/templates.ts.
rmSync(join(outdir, 'scaffold-templates'), { recursive: true, force: true });
cpSync('server/src/engine/scaffolds/templates', join(outdir, 'scaffold-templates'), {
  recursive: true,
  filter: (source) => !/__pycache__|\.pyc$/.test(source),
});
// The rule pages, bundled so the editor opens them offline ("Show documentation for <rule>").
rmSync(join(outdir, 'docs'), { recursive: true, force: true });
cpSync('docs/rules', join(outdir, 'docs', 'rules'), { recursive: true });
console.log(`built ${outdir}/extension.js, server.js, readiness-worker.js, cli.js, cli-main.js, check-worker.js (+ wasm, scaffold templates, rule pages)`);
