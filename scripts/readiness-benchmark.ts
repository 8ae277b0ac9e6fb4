/**
 * Measures `mlready readiness` against hand labels on real public repositories
 * (docs/readiness-benchmark/labels.json): item agreement, false passes, false fails, and the
 * Spearman rank correlation of the scores with the expert ranking.
 *
 *   node --import tsx scripts/readiness-benchmark.ts DIR            table + every disagreement
 *   node --import tsx scripts/readiness-benchmark.ts DIR --json F   also write the figures as JSON
 *   node --import tsx scripts/readiness-benchmark.ts DIR --check    exit 1 below the targets (agreement 0.95,
 *                                                                   no false pass on an uncontested label, rho 0.9)
 *
 * DIR holds one checkout per labelled repository, named `owner+name` (or `owner/name`), at the
 * commit in labels.json. The repositories are not part of this project; fetch them yourself
 * (e.g. `git clone https://github.com/owner/name DIR/owner+name && git -C DIR/owner+name checkout COMMIT`).
 *
 * The engine answers pass / partial / fail / not-applicable; a partial is not a pass, so it is
 * compared as fail. A false pass is an engine pass where the label is fail; a false fail is an engine
 * fail or partial where the label is pass; the rest of the disagreements are about applicability.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine/index';
import { computeReadiness, WHOLE_PROJECT_SCAN, type ReadinessReport } from '../server/src/engine/readiness/index';

type Label = 'pass' | 'fail' | 'na';

interface LabelFile {
  items: string[];
  repositories: {
    repository: string;
    commit: string;
    rank: number;
    kind: string;
    set?: string;
    labels: Record<string, { label: Label; reason: string; contested?: boolean }>;
  }[];
}

const TARGETS = { agreement: 0.95, falsePasses: 0, spearman: 0.9 };

function asLabel(status: string): Label {
  return status === 'pass' ? 'pass' : status === 'not-applicable' ? 'na' : 'fail';
}

/** Average ranks (1-based) of the values, ties sharing their mean rank. */
function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let k = i; k <= j; k++) out[order[k].index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rho: the Pearson correlation of the ranks (handles ties). */
export function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

function checkoutOf(dir: string, repository: string): string | undefined {
  const [owner, name] = repository.split('/');
  for (const candidate of [path.join(dir, `${owner}+${name}`), path.join(dir, owner, name), path.join(dir, name)]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
  }
  return undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--json');
  if (!dir) {
    console.error('usage: readiness-benchmark.ts DIR [--json FILE] [--check]');
    process.exit(2);
  }
  const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
  const labels = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'readiness-benchmark', 'labels.json'), 'utf8')) as LabelFile;
  const engine = await createEngine();

  const rows: { repository: string; rank: number; score: number; set: string }[] = [];
  const disagreements: {
    repository: string;
    item: string;
    label: Label;
    got: string;
    kind: 'false pass' | 'false fail' | 'applicability';
    contested: boolean;
    summary: string;
    set: string;
  }[] = [];
  const perSet = new Map<string, { compared: number; agreed: number }>();
  let compared = 0;
  let agreed = 0;
  let comparedUncontested = 0;
  let agreedUncontested = 0;
  const notAssessed = new Set<string>();
  const missing: string[] = [];

  for (const repo of labels.repositories) {
    const checkout = checkoutOf(dir, repo.repository);
    if (!checkout) {
      missing.push(repo.repository);
      continue;
    }
    // As `mlready readiness` assesses a project.
    const report: ReadinessReport = await computeReadiness(checkout, engine, WHOLE_PROJECT_SCAN);
    const set = repo.set ?? 'development';
    rows.push({ repository: repo.repository, rank: repo.rank, score: report.score, set });
    const tally = perSet.get(set) ?? { compared: 0, agreed: 0 };
    perSet.set(set, tally);
    const byId = new Map(report.categories.flatMap((category) => category.items).map((item) => [item.id, item]));
    for (const [itemId, expected] of Object.entries(repo.labels)) {
      const item = byId.get(itemId);
      if (!item) {
        notAssessed.add(itemId);
        continue;
      }
      const got = asLabel(item.status);
      const contested = expected.contested === true;
      compared++;
      tally.compared++;
      if (!contested) comparedUncontested++;
      if (got === expected.label) {
        agreed++;
        tally.agreed++;
        if (!contested) agreedUncontested++;
        continue;
      }
      const kind = got === 'pass' && expected.label === 'fail' ? 'false pass' : got === 'fail' && expected.label === 'pass' ? 'false fail' : 'applicability';
      disagreements.push({ repository: repo.repository, item: itemId, label: expected.label, got: item.status, kind, contested, summary: item.summary, set });
    }
  }
  if (missing.length > 0) console.error(`not found in ${dir}: ${missing.join(', ')}`);
  if (rows.length < 2) {
    console.error('fewer than two repositories found: nothing to measure');
    process.exit(2);
  }

  const rho = spearman(
    rows.map((row) => row.score),
    rows.map((row) => -row.rank),
  );
  const falsePasses = disagreements.filter((d) => d.kind === 'false pass');
  const falseFails = disagreements.filter((d) => d.kind === 'false fail');
  const figures = {
    repositories: rows.length,
    itemsCompared: compared,
    agreement: agreed / compared,
    agreementUncontested: agreedUncontested / comparedUncontested,
    falsePasses: falsePasses.length,
    falsePassesUncontested: falsePasses.filter((d) => !d.contested).length,
    falseFails: falseFails.length,
    falseFailsUncontested: falseFails.filter((d) => !d.contested).length,
    applicability: disagreements.length - falsePasses.length - falseFails.length,
    spearman: rho,
    sets: Object.fromEntries(
      [...perSet].map(([set, t]) => [
        set,
        {
          repositories: rows.filter((r) => r.set === set).length,
          agreement: t.agreed / t.compared,
          falsePasses: falsePasses.filter((d) => d.set === set).length,
          falseFails: falseFails.filter((d) => d.set === set).length,
        },
      ]),
    ),
    notAssessed: [...notAssessed],
    scores: rows,
    disagreements,
  };

  console.log('rank  score  repository');
  for (const row of [...rows].sort((a, b) => a.rank - b.rank))
    console.log(`${String(row.rank).padStart(4)}  ${String(row.score).padStart(5)}  ${row.repository}${row.set === 'development' ? '' : ` (${row.set})`}`);
  console.log('');
  for (const d of disagreements)
    console.log(`${d.kind.padEnd(13)} ${d.contested ? '(contested) ' : ''}${d.repository} ${d.item}: labelled ${d.label}, got ${d.got} — ${d.summary}`);
  console.log('');
  console.log(
    `repositories ${rows.length}, items compared ${compared}${notAssessed.size ? ` (labelled but not assessed by this version: ${[...notAssessed].join(', ')})` : ''}`,
  );
  console.log(
    `item agreement ${figures.agreement.toFixed(3)} (${agreed}/${compared}); without contested labels ${figures.agreementUncontested.toFixed(3)} (${agreedUncontested}/${comparedUncontested})`,
  );
  console.log(
    `false passes ${figures.falsePasses} (${figures.falsePassesUncontested} on uncontested labels), false fails ${figures.falseFails} (${figures.falseFailsUncontested} uncontested), applicability disagreements ${figures.applicability}`,
  );
  console.log(`Spearman rank correlation of scores with the expert ranking ${rho.toFixed(3)}`);
  for (const [set, figures_] of Object.entries(figures.sets))
    console.log(
      `  ${set}: ${figures_.repositories} repositories, agreement ${figures_.agreement.toFixed(3)}, false passes ${figures_.falsePasses}, false fails ${figures_.falseFails}`,
    );
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(figures, null, 1) + '\n');
  if (args.includes('--check')) {
    // A contested label is one experts differ on: a disagreement there is not a false pass.
    const ok = figures.agreement >= TARGETS.agreement && figures.falsePassesUncontested <= TARGETS.falsePasses && rho >= TARGETS.spearman;
    if (!ok) {
      console.error(
        `below target: agreement >= ${TARGETS.agreement}, false passes on uncontested labels <= ${TARGETS.falsePasses}, rho >= ${TARGETS.spearman}`,
      );
      process.exit(1);
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});
