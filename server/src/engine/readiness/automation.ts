import * as path from 'node:path';
import { escapeRegExp } from '../text';
import { ciCommands } from './detect';
import type { Workspace } from './workspace';

/**
 * What CI actually runs, followed through the indirections real projects use: task runners
 * (`make`, `just`, `mise run`, `task`, `poe`, `pdm run`, `hatch run`), environment wrappers
 * (`poetry run`, `uv run`, `pipenv run`, `pdm run`), shell scripts, and jobs submitted to a
 * platform with a YAML spec (`anyscale jobs submit job.yaml`, `kubectl apply -f job.yaml`,
 * `sky launch task.yaml`, `az ml job create --file job.yml`, …): a spec's command-like values
 * (`entrypoint`, `command`, `run`, `script`, `args`) are what the job runs.
 *
 * Every command keeps the CI line it was reached from, so evidence points at the workflow.
 */
export interface AutomatedCommand {
  /** The CI file and line the chain starts at. */
  path: string;
  line: number;
  command: string;
  /** How the command was reached, outermost first (`make test`, `Makefile`), empty when CI runs it directly. */
  via: string[];
}

const MAX_DEPTH = 4;
const WRAPPERS =
  /^(?:(?:poetry|uv|pdm|pipenv|hatch(?:\s+-e\s+\S+)?|rye|pixi|conda\s+run\s+(?:-n|--name)\s+\S+)\s+run\s+|uvx\s+|npx\s+|time\s+|env\s+(?:\w+=\S+\s+)*)/;
const COMMAND_KEYS = new Set(['entrypoint', 'command', 'commands', 'cmd', 'cmds', 'run', 'script', 'scripts', 'args', 'setup', 'steps']);

/** Recipe lines of a Makefile or justfile target: the indented lines under `target:` (not a Make parser: just the recipes). */
function recipeLines(text: string, target: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  const header = new RegExp(`^${escapeRegExp(target)}(\\s+[^:=]*)?\\s*:(?!=)`);
  for (let i = 0; i < lines.length; i++) {
    if (!header.test(lines[i])) continue;
    // Prerequisites that are other targets run first.
    const deps = lines[i]
      .split(':')
      .slice(1)
      .join(':')
      .trim()
      .split(/\s+/)
      .filter((dep) => /^[\w.-]+$/.test(dep));
    out.push(...deps.map((dep) => `make ${dep}`));
    for (let j = i + 1; j < lines.length && /^(\t| {2,})/.test(lines[j]); j++) {
      const line = lines[j].trim().replace(/^[@-]+/, '');
      if (line && !line.startsWith('#')) out.push(line);
    }
  }
  return out;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return [];
}

/** `mise run a b`, `mise a`: the task's `run` (string or list) and its `depends`. */
function miseTask(ws: Workspace, name: string): string[] {
  for (const rel of ['mise.toml', '.mise.toml', 'mise/config.toml', '.config/mise.toml']) {
    const tasks = (ws.toml(rel)?.tasks ?? undefined) as Record<string, { run?: unknown; depends?: unknown } | string> | undefined;
    const task = tasks?.[name];
    if (task === undefined) continue;
    if (typeof task === 'string') return [task];
    return [...stringsOf(task.depends).map((dep) => `mise run ${dep}`), ...stringsOf(task.run)];
  }
  return [];
}

/** pyproject task runners: `poe NAME` ([tool.poe.tasks]), `pdm run NAME` ([tool.pdm.scripts]), `hatch run NAME` ([tool.hatch.envs.*.scripts]). */
function pyprojectTask(ws: Workspace, runner: 'poe' | 'pdm' | 'hatch', name: string): string[] {
  const tool = (ws.toml('pyproject.toml')?.tool ?? {}) as Record<string, Record<string, unknown>>;
  const pick = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(pick);
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      return [...stringsOf(v.cmd), ...stringsOf(v.shell), ...stringsOf(v.call), ...pick(v.sequence), ...pick(v.composite)];
    }
    return [];
  };
  if (runner === 'poe') return pick((tool.poe?.tasks as Record<string, unknown> | undefined)?.[name]);
  if (runner === 'pdm') return pick((tool.pdm?.scripts as Record<string, unknown> | undefined)?.[name]);
  const envs = (tool.hatch?.envs ?? {}) as Record<string, { scripts?: Record<string, unknown> }>;
  return Object.values(envs).flatMap((env) => pick(env.scripts?.[name]));
}

/** Taskfile (`task NAME`): the task's `cmds`. */
function taskfileTask(ws: Workspace, name: string): string[] {
  for (const rel of ws.files.filter((f) => /^Taskfile\.ya?ml$/i.test(f))) {
    const tasks = (ws.yaml(rel)?.docs[0]?.value as { tasks?: Record<string, { cmds?: unknown; deps?: unknown }> } | undefined)?.tasks;
    const task = tasks?.[name];
    if (task) return [...stringsOf(task.deps).map((dep) => `task ${dep}`), ...stringsOf(task.cmds)];
  }
  return [];
}

/** The commands one command leads to, with a label of where they were read. */
function expand(ws: Workspace, command: string, cwd: string): { label: string; commands: string[] }[] {
  const out: { label: string; commands: string[] }[] = [];
  const bare = command.replace(WRAPPERS, '').trim();
  if (bare !== command) out.push({ label: command.slice(0, command.length - bare.length).trim(), commands: [bare] });
  const words = bare.split(/\s+/);
  const make = /^(?:make|gmake)\b/.test(bare);
  if (make || words[0] === 'just') {
    const dirFlag = words.indexOf('-C');
    const dir = dirFlag >= 0 ? path.posix.join(cwd, words[dirFlag + 1] ?? '') : cwd;
    const file = make
      ? ['Makefile', 'makefile', 'GNUmakefile'].map((name) => path.posix.join(dir, name)).find((rel) => ws.text(rel) !== undefined)
      : ['justfile', 'Justfile', '.justfile'].map((name) => path.posix.join(dir, name)).find((rel) => ws.text(rel) !== undefined);
    const targets = words.slice(1).filter((word, index, all) => !word.startsWith('-') && all[index - 1] !== '-C' && !word.includes('='));
    if (file)
      for (const target of targets.length ? targets : [])
        out.push({ label: `${file} target \`${target}\``, commands: recipeLines(ws.text(file) ?? '', target) });
  }
  const mise = /^mise\s+(?:run\s+|r\s+)?([\w:.-]+)/.exec(bare);
  if (mise && !['install', 'use', 'exec', 'x', 'trust'].includes(mise[1])) out.push({ label: `mise task \`${mise[1]}\``, commands: miseTask(ws, mise[1]) });
  const task = /^task\s+([\w:.-]+)/.exec(bare);
  if (task) out.push({ label: `Taskfile task \`${task[1]}\``, commands: taskfileTask(ws, task[1]) });
  const runner = /^(poe|pdm\s+run|hatch\s+run)\s+([\w:.-]+)/.exec(command.trim());
  if (runner) {
    const kind = runner[1].startsWith('poe') ? 'poe' : runner[1].startsWith('pdm') ? 'pdm' : 'hatch';
    out.push({ label: `pyproject ${kind} task \`${runner[2]}\``, commands: pyprojectTask(ws, kind, runner[2].split(':').pop() ?? runner[2]) });
  }
  // Shell scripts and YAML job specs named on the command line.
  for (const word of words) {
    const clean = word.replace(/^(--?[\w-]+=)/, '').replace(/^['"]|['"]$/g, '');
    const rel = path.posix.normalize(path.posix.join(cwd, clean));
    if (/\.(sh|bash)$/.test(clean) && ws.text(rel) !== undefined) {
      out.push({
        label: rel,
        commands: (ws.text(rel) ?? '')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line && !line.startsWith('#')),
      });
    } else if (/\.ya?ml$/.test(clean) && ws.text(rel) !== undefined && !/^\.github\//.test(rel)) {
      const commands = ws
        .scalars(rel)
        .filter((s) => typeof s.value === 'string' && s.keys.some((key) => typeof key === 'string' && COMMAND_KEYS.has(key)))
        .flatMap((s) => String(s.value).split('\n'))
        .map((line) => line.trim())
        .filter(Boolean);
      if (commands.length) out.push({ label: `job spec ${rel}`, commands });
    }
  }
  return out.filter((entry) => entry.commands.length > 0);
}

/** CI commands and everything they reach, at most four indirections deep. */
export function automatedCommands(ws: Workspace): AutomatedCommand[] {
  const out: AutomatedCommand[] = [];
  const seen = new Set<string>();
  const visit = (origin: { path: string; line: number }, command: string, via: string[], depth: number): void => {
    const key = `${origin.path}:${origin.line}:${via.join('>')}:${command}`;
    if (seen.has(key) || out.length > 2000) return;
    seen.add(key);
    out.push({ path: origin.path, line: origin.line, command, via });
    if (depth >= MAX_DEPTH) return;
    // Each `&&`/`;`-separated part is a command of its own.
    const parts = command.split(/\s*(?:&&|\|\||;)\s*/).filter(Boolean);
    if (parts.length > 1) {
      for (const part of parts) visit(origin, part, via, depth + 1);
      return;
    }
    for (const step of expand(ws, command, '')) for (const next of step.commands) visit(origin, next, [...via, step.label], depth + 1);
  };
  for (const command of ciCommands(ws)) visit(command, command.command, [], 0);
  return out;
}

/** A sentence for evidence: `CI runs \`pytest\` (via make test → Makefile target test)`. */
export function describeCommand(command: AutomatedCommand): string {
  return command.via.length ? `CI reaches \`${command.command}\` via ${command.via.join(' → ')}` : `CI runs \`${command.command}\``;
}
