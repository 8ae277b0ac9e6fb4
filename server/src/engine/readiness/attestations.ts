import * as path from 'node:path';
import * as z from 'zod/mini';
import '../schema';
import { ITEM_IDS, findItem } from './items/index';
import type { Attestation } from './types';
import { loadToml } from './workspace';
import { readConfigTextAsync, describeFsError } from '../safe-fs';
import { closestName } from '../spelling';

/**
 * Attestations: what code cannot show, written down by a person. They live in
 * `[tool.mlready.readiness]` of pyproject.toml, or in mlready.toml (`[readiness]` or
 * `[tool.mlready.readiness]`), one table per item id:
 *
 *   [tool.mlready.readiness.problem-iterative-expectations]
 *   status = "attested"          # or "not-applicable"
 *   by = "Ana Ruiz"
 *   date = 2025-03-14            # a TOML date or "YYYY-MM-DD"
 *   note = "Quarterly retraining budget agreed with the retention team"
 */

export class ReadinessConfigError extends Error {
  constructor(readonly problems: { path: string; line?: number; message: string }[]) {
    super(problems.map((p) => `${p.path}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
    this.name = 'ReadinessConfigError';
  }
}

const dateSchema = z.union([
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')),
  z.pipe(
    z.date(),
    z.transform((date: Date) => date.toISOString().slice(0, 10)),
  ),
]);

export const attestationSchema = z.strictObject({
  status: z.enum(['attested', 'not-applicable']),
  by: z.string().check(z.trim(), z.minLength(1, 'say who attests it')),
  date: dateSchema,
  note: z.optional(z.string()),
});

export type AttestationInput = z.input<typeof attestationSchema>;

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (value instanceof Date) return 'a date';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a table' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Validates a readiness table (already parsed from TOML); returns the attestations and the problems found. */
export function parseAttestations(
  table: unknown,
  source: string,
  text = '',
): { attestations: Map<string, Attestation>; problems: { path: string; line?: number; message: string }[] } {
  const attestations = new Map<string, Attestation>();
  const problems: { path: string; line?: number; message: string }[] = [];
  const where = source.endsWith('pyproject.toml') ? '[tool.mlready.readiness]' : '[readiness]';
  const lines = text.split(/\r?\n/);
  const lineOf = (id: string): number | undefined => {
    const index = lines.findIndex((line) => line.includes(id));
    return index >= 0 ? index + 1 : undefined;
  };
  if (table === null || typeof table !== 'object' || Array.isArray(table) || table instanceof Date) {
    problems.push({ path: source, message: `${where} must be a table of item ids, got ${describe(table)}` });
    return { attestations, problems };
  }
  for (const [id, raw] of Object.entries(table as Record<string, unknown>)) {
    const line = lineOf(id);
    const item = findItem(id);
    if (!item) {
      problems.push({ path: source, line, message: `${where}: unknown readiness item "${id}"${suggest(id)}. Valid ids: ${ITEM_IDS.join(', ')}` });
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Date) {
      problems.push({ path: source, line, message: `${where}.${id} must be a table with status, by, date and note, got ${describe(raw)}` });
      continue;
    }
    const parsed = attestationSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.length > 0 ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
        const got = issue.path.length > 0 ? ` (got ${describe((raw as Record<string, unknown>)[String(issue.path[0])])})` : '';
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: status, by, date, note`
            : issue.code === 'invalid_value' && key === 'status'
              ? 'must be "attested" or "not-applicable"'
              : issue.message;
        const keyLine = keyLineAfter(lines, line, key.split(/[.,]/)[0]) ?? line;
        problems.push({
          path: source,
          line: keyLine,
          message: `${where}.${id}.${key.split(', ')[0] || 'status'}: ${message}${issue.code === 'unrecognized_keys' || /received/.test(message) ? '' : got}`,
        });
      }
      continue;
    }
    if (parsed.data.status === 'attested' && item.attestable === 'no') {
      problems.push({
        path: source,
        line,
        message: `${where}.${id}: "${id}" cannot be attested, it is decided by what the code shows${item.action.rule ? ` (the ${item.action.rule} rule)` : ''}; fix it, or set status = "not-applicable" if it does not apply`,
      });
      continue;
    }
    attestations.set(id, { ...parsed.data, source, line: line ?? 1 });
  }
  return { attestations, problems };
}

/** The line of `key = …` inside the item's table (which starts at `from`), for error messages. */
function keyLineAfter(lines: readonly string[], from: number | undefined, key: string): number | undefined {
  if (!key) return undefined;
  const pattern = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=|[{,]\\s*${key}\\s*=`);
  for (let index = (from ?? 1) - 1; index < lines.length; index++) {
    if (index > (from ?? 1) - 1 && /^\s*\[/.test(lines[index])) break;
    if (pattern.test(lines[index])) return index + 1;
  }
  return undefined;
}

function suggest(id: string): string {
  const close = closestName(id, ITEM_IDS);
  return close ? ` (did you mean "${close}"?)` : '';
}

/**
 * Reads the attestations of a project root, keeping the valid ones when others are invalid
 * (the editor shows what still counts and marks what does not).
 */
export async function readAttestations(root: string): Promise<{
  attestations: Map<string, Attestation>;
  problems: { path: string; line?: number; message: string }[];
  unread: { path: string; message: string }[];
}> {
  const toml = await loadToml();
  const attestations = new Map<string, Attestation>();
  const problems: { path: string; line?: number; message: string }[] = [];
  /** Files not read (not a regular file, too large): said in the report, the assessment goes on without them. */
  const unread: { path: string; message: string }[] = [];
  for (const file of ['pyproject.toml', 'mlready.toml']) {
    let text: string | undefined;
    try {
      text = await readConfigTextAsync(path.join(root, file));
    } catch (error) {
      unread.push({ path: file, message: `not read: ${describeFsError(error)}; its attestations are ignored` });
      continue;
    }
    if (text === undefined) continue;
    let data: Record<string, unknown>;
    try {
      data = toml.parse(text) as Record<string, unknown>;
    } catch (error) {
      problems.push({
        path: file,
        line: error instanceof toml.TomlError ? error.line : undefined,
        message: `not valid TOML: ${(error as Error).message.split('\n')[0]}`,
      });
      continue;
    }
    const tool = (data.tool as { mlready?: { readiness?: unknown } } | undefined)?.mlready?.readiness;
    const tables = file === 'mlready.toml' ? [data.readiness, tool] : [tool];
    for (const table of tables) {
      if (table === undefined) continue;
      const result = parseAttestations(table, file, text);
      problems.push(...result.problems);
      for (const [id, attestation] of result.attestations) attestations.set(id, attestation);
    }
  }
  return { attestations, problems, unread };
}

/** Reads the attestations of a project root; throws ReadinessConfigError for invalid ones (the CLI). */
export async function loadAttestations(root: string): Promise<Map<string, Attestation>> {
  const { attestations, problems } = await readAttestations(root);
  if (problems.length > 0) throw new ReadinessConfigError(problems);
  return attestations;
}
