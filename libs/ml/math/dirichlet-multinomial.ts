import { goldenSectionMinimize } from './golden-section';

// Module-local alias: inside a vm sandbox (jest) each `Math.log` is a slow global lookup.
const { log } = Math;

/**
 * Maximum-likelihood concentration c of a Dirichlet-multinomial whose mean μ is known: groups
 * (e.g. users) draw their own category probabilities from Dirichlet(c·μ), then counts from them.
 * Small c: groups differ a lot from μ; large c: they all look like μ. This is the empirical-Bayes
 * step that says how many pseudo-counts the mean is worth against a group's own counts.
 *
 * Input, flattened: each group's total count, and for each non-zero (group, category) cell its count
 * and that category's mean. Counts are integers (events); groups with one count carry no
 * information about c. Searched on log c within `range`.
 */
export function fitDirichletConcentration(
  groupTotals: ArrayLike<number>,
  cellCounts: ArrayLike<number>,
  cellMeans: ArrayLike<number>,
  range: readonly [number, number] = [1e-2, 1e5],
): number {
  if (cellMeans.length !== cellCounts.length) {
    throw new Error(`fitDirichletConcentration: ${cellCounts.length} cell counts but ${cellMeans.length} means`);
  }
  // For integer n, ln Γ(n + x)/Γ(x) = Σ_{j<n} ln(x + j). Summed over groups (x = c) and over the
  // cells of each distinct mean (x = cμ), only how many counts exceed each j matters: tabulate
  // that once and each evaluation costs (distinct means) × (largest count) logs, whatever the size.
  const groupsAbove = tallyAbove(groupTotals);
  const cellsAboveByMean = new Map<number, number[]>();
  for (let k = 0; k < cellCounts.length; k++) {
    let counts = cellsAboveByMean.get(cellMeans[k]);
    if (!counts) cellsAboveByMean.set(cellMeans[k], (counts = []));
    counts.push(cellCounts[k]);
  }
  const means = Float64Array.from(cellsAboveByMean.keys());
  const cellsAbove = [...cellsAboveByMean.values()].map(tallyAbove);

  const negLogLikelihood = (logC: number): number => {
    const c = Math.exp(logC);
    let ll = 0;
    for (let j = 0; j < groupsAbove.length; j++) ll -= groupsAbove[j] * log(c + j);
    for (let m = 0; m < means.length; m++) {
      const cm = c * means[m];
      const above = cellsAbove[m];
      for (let j = 0; j < above.length; j++) ll += above[j] * log(cm + j);
    }
    return -ll;
  };
  return Math.exp(goldenSectionMinimize(negLogLikelihood, Math.log(range[0]), Math.log(range[1]), 1e-3).x);
}

/** above[j] = how many of the counts exceed j. */
function tallyAbove(counts: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`fitDirichletConcentration: counts must be integers >= 0, got ${n}`);
    }
    max = Math.max(max, n);
  }
  const above = new Float64Array(max);
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) above[counts[i] - 1]++;
  for (let j = max - 2; j >= 0; j--) above[j] += above[j + 1];
  return above;
}
