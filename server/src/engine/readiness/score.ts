import type { ItemStatus } from './types';

/**
 * Scoring after the ML Test Score (Breck et al., "The ML Test Score: A Rubric for ML Production
 * Readiness and Technical Debt Reduction", IEEE Big Data 2017): a test that is automated earns a
 * full point, one done manually half a point. Here: automated evidence 1, partial or attested
 * 0.5, missing 0, not applicable left out.
 */
export const POINTS: Record<ItemStatus, number | null> = { pass: 1, partial: 0.5, attested: 0.5, fail: 0, 'not-applicable': null };

export interface Band {
  min: number;
  name: string;
  description: string;
}

/** The rubric's bands, with its 0-to-5+ scale spread over 0-100. Highest first. */
export const BANDS: readonly Band[] = [
  { min: 90, name: 'Exceptional', description: 'Exceptional levels of automated testing and monitoring.' },
  { min: 75, name: 'Strong', description: 'Strong levels of automated testing and monitoring, appropriate for mission-critical systems.' },
  { min: 55, name: 'Reasonably tested', description: 'Reasonably tested, but more of those tests and procedures may be automated.' },
  {
    min: 35,
    name: 'First pass at productionization',
    description: 'There has been a first pass at basic productionization, but additional investment may be needed.',
  },
  { min: 15, name: 'Serious holes', description: 'Not totally untested, but it is worth considering the possibility of serious holes in reliability.' },
  { min: 0, name: 'Research project', description: 'More of a research project than a productionized system.' },
];

export function bandFor(score: number): Band {
  return BANDS.find((band) => score >= band.min) ?? BANDS[BANDS.length - 1];
}

export function categoryScore(statuses: readonly ItemStatus[]): { points: number; possible: number; score: number | null } {
  let points = 0;
  let possible = 0;
  for (const status of statuses) {
    const value = POINTS[status];
    if (value === null) continue;
    points += value;
    possible += 1;
  }
  return { points, possible, score: possible === 0 ? null : Math.round((100 * points) / possible) };
}

/** The project score: the mean of the category percentages (unrounded), so every category weighs the same. */
export function projectScore(categories: readonly { points: number; possible: number }[]): number {
  const applicable = categories.filter((category) => category.possible > 0);
  if (applicable.length === 0) return 0;
  const mean = applicable.reduce((sum, category) => sum + category.points / category.possible, 0) / applicable.length;
  return Math.round(100 * mean);
}

export const SCORING_RULES = [
  'Each item earns 1 point for automated evidence (found in code, configuration or CI), 0.5 when the evidence is partial or a person attested it, 0 when it is missing; not-applicable items are left out. This follows the ML Test Score rubric (Breck et al., 2017), where a manual check earns half of an automated one.',
  'A category scores its points over its applicable items, as a percentage. The project score is the mean of the category percentages, so a category with many items weighs no more than one with few.',
  `The band follows the rubric's bands: ${BANDS.slice()
    .reverse()
    .map((band) => `${band.name} from ${band.min}`)
    .join(', ')}.`,
];
