import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Folders made for a test file, removed when its process exits (a test that fails midway still
// cleans up): each test file runs in its own process, so a run of `npm test` leaves /tmp as it was.
const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temporary folder, named `<prefix>XXXXXX`, removed at exit. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A fresh temporary folder (removed at exit) holding `files` (relative path → text). */
export function tempProject(prefix: string, files: Record<string, string>): string {
  const root = tempDir(prefix);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
