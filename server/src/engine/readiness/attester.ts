import { execFile } from 'node:child_process';

/**
 * Who attests by default: the git user of the project (`git config user.name` and
 * `user.email`), as the commit that records the attestation would name them, not the operating
 * system's login. Read safely: `git` is run directly (no shell) with a short timeout and a small
 * output cap, prompts disabled; the value is cut to one line of printable text. Any failure (no
 * git, not a repository, an unsafe repository, no user configured) gives `undefined`, and the
 * person types their name.
 */
export async function gitUser(cwd: string): Promise<string | undefined> {
  const [name, email] = await Promise.all([gitConfig(cwd, 'user.name'), gitConfig(cwd, 'user.email')]);
  if (!name && !email) return undefined;
  if (!name) return email;
  return email ? `${name} <${email}>` : name;
}

function gitConfig(cwd: string, key: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(
        'git',
        ['config', '--get', key],
        { cwd, timeout: 3000, maxBuffer: 4096, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
        (error, stdout) => {
          resolve(error ? undefined : clean(String(stdout)));
        },
      );
    } catch {
      resolve(undefined);
    }
  });
}

/** One line, printable characters only, at most 120 of them. */
function clean(value: string): string | undefined {
  const line = value
    .split(/\r?\n/)[0]
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 120);
  return line || undefined;
}
