import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Engine } from '../../server/src/engine/index';
import { computeReadiness, type ReadinessReport } from '../../server/src/engine/readiness/index';
import { tempProject } from './temp-dir';

/** The halfway fixture project (a notebook, a pipeline, tests), copied to a temporary folder with `extra` files on top. */
export function copyOfHalfway(prefix: string, extra: Record<string, string> = {}): string {
  const root = tempProject(prefix, extra);
  fs.cpSync(path.join(__dirname, '..', 'fixtures', 'readiness', 'halfway'), root, { recursive: true });
  return root;
}

/** The report as the client receives it (JSON). */
export function sent(report: ReadinessReport): unknown {
  return JSON.parse(JSON.stringify(report));
}

/** Writes a small project (relative path → text) to a temporary folder, assesses it end to end, and removes it. */
export async function assessProject(engine: Engine, files: Record<string, string>): Promise<ReadinessReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-project-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    return await computeReadiness(dir, engine);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
