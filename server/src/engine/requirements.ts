// Requirement specifiers as pip reads them: asked by the readiness item on pinned dependencies and by notebook-pip-install.
import type { Requirement as PipRequirement } from 'pip-requirements-js';

/**
 * pip-requirements-js, loaded when a specifier is first read: building its grammar (ohm-js) cost
 * 22 ms of start-up in each process that bundles it (the CLI's main thread, each check worker, the
 * server), where most runs never read a specifier.
 */
let pipRequirements: typeof import('pip-requirements-js') | undefined;
function parsePipRequirementsLine(text: string): PipRequirement | null {
  pipRequirements ??= require('pip-requirements-js') as typeof import('pip-requirements-js');
  return pipRequirements.parsePipRequirementsLine(text);
}

/** Longest requirement specifier read. */
export const MAX_SPECIFIER_CHARS = 4096;

/**
 * One requirement specifier (PEP 508, as pip reads it), parsed with pip-requirements-js: pinned
 * when its only version clause is `==`/`===` with an exact version (no `*`). Direct references are
 * pinned when they name a commit or a built file. Unparseable text is reported, not guessed.
 */
export function pinnedSpec(spec: string): { pinned: boolean; error?: string } {
  const text = spec.trim();
  // The grammar's time grows faster than the text: a 100,000-character line took 1 s, a 1 MB one
  // 25 s. Real specifiers are a few hundred characters at most.
  if (text.length > MAX_SPECIFIER_CHARS) return { pinned: false, error: `longer than ${MAX_SPECIFIER_CHARS.toLocaleString('en-US')} characters, not read` };
  if (/^(git\+|hg\+|svn\+|bzr\+|https?:\/\/|file:)/.test(text) || text.startsWith('.') || text.startsWith('/')) {
    return { pinned: /@[0-9a-f]{7,40}\b|\.(whl|tar\.gz|zip)(#.*)?$/.test(text) };
  }
  let requirement: PipRequirement | null;
  try {
    requirement = parsePipRequirementsLine(text);
  } catch (error) {
    return { pinned: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (!requirement) return { pinned: true };
  if (requirement.type === 'ProjectURL') return { pinned: /@[0-9a-f]{7,40}\b|\.(whl|tar\.gz|zip)(#.*)?$/.test(requirement.url) };
  if (requirement.type !== 'ProjectName') return { pinned: true };
  const specs = requirement.versionSpec ?? [];
  return {
    pinned:
      specs.length > 0 &&
      specs.every((v) => (v.operator === '==' || v.operator === '===') && !v.version.includes('*')) &&
      specs.some((v) => v.operator === '==' || v.operator === '==='),
  };
}
