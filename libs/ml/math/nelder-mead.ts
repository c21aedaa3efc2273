export interface NelderMeadOptions {
  /** Size of the initial simplex along each axis. */
  step?: number;
  /** Stop when every vertex is within this distance of the best one (each coordinate)... */
  xTolerance?: number;
  /** ...and every vertex value within this of the best value. */
  fTolerance?: number;
  /** Evaluation budget; a step in progress may overrun it by a simplex's worth. */
  maxEvaluations?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Minimises f by the Nelder–Mead simplex method (standard coefficients: reflection 1, expansion 2,
 * contraction 1/2, shrink 1/2). Derivative-free and deterministic. A simplex can collapse before
 * reaching the minimum, so the search restarts from its best point until a restart no longer
 * improves it (the usual remedy; scipy's fmin leaves it to the caller).
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  const fTol = options.fTolerance ?? 1e-10;
  let best = simplexSearch(f, Float64Array.from(x0), options, maxEvaluations);
  let evaluations = best.evaluations;
  while (best.converged) {
    const again = simplexSearch(f, best.x, options, maxEvaluations - evaluations);
    evaluations += again.evaluations;
    const improved = again.value < best.value - fTol;
    // A restart keeps its start vertex, so it is never worse.
    best = again;
    if (!improved) break;
  }
  return { ...best, evaluations };
}

function simplexSearch(
  f: (x: Float64Array) => number,
  start: Float64Array,
  options: NelderMeadOptions,
  budget: number,
): NelderMeadResult {
  const n = start.length;
  const step = options.step ?? 0.1;
  const xTol = options.xTolerance ?? 1e-8;
  const fTol = options.fTolerance ?? 1e-10;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    // NaN (e.g. parameters outside the model's domain) must lose every comparison.
    return Number.isNaN(v) ? Infinity : v;
  };

  const vertices: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(start);
    v[i] += step;
    vertices.push(v);
  }
  const values = vertices.map(evaluate);
  const replace = (i: number, x: Float64Array, v: number): void => {
    vertices[i] = x;
    values[i] = v;
  };
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const pointAt = (t: number, worst: Float64Array): Float64Array => {
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j] + t * (worst[j] - centroid[j]);
    return p;
  };

  for (;;) {
    order.sort((i, j) => values[i] - values[j]);
    const bestIdx = order[0];
    const worstIdx = order[n];
    const secondWorst = values[order[n - 1]];
    if (hasConverged(vertices, values, bestIdx, xTol, fTol)) {
      return { x: vertices[bestIdx], value: values[bestIdx], evaluations, converged: true };
    }
    if (evaluations >= budget) {
      return { x: vertices[bestIdx], value: values[bestIdx], evaluations, converged: false };
    }

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const v = vertices[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += v[j] / n;
    }
    const worst = vertices[worstIdx];
    const reflected = pointAt(-1, worst);
    const fr = evaluate(reflected);
    if (fr < values[bestIdx]) {
      const expanded = pointAt(-2, worst);
      const fe = evaluate(expanded);
      if (fe < fr) replace(worstIdx, expanded, fe);
      else replace(worstIdx, reflected, fr);
    } else if (fr < secondWorst) {
      replace(worstIdx, reflected, fr);
    } else {
      // Contract towards the better of the worst point and its reflection.
      const outside = fr < values[worstIdx];
      const contracted = pointAt(outside ? -0.5 : 0.5, worst);
      const fc = evaluate(contracted);
      if (fc < (outside ? fr : values[worstIdx])) {
        replace(worstIdx, contracted, fc);
      } else {
        const b = vertices[bestIdx];
        for (let k = 0; k <= n; k++) {
          if (k === bestIdx) continue;
          const v = vertices[k];
          for (let j = 0; j < n; j++) v[j] = b[j] + 0.5 * (v[j] - b[j]);
          values[k] = evaluate(v);
        }
      }
    }
  }
}

function hasConverged(
  vertices: Float64Array[],
  values: number[],
  bestIdx: number,
  xTol: number,
  fTol: number,
): boolean {
  const b = vertices[bestIdx];
  for (let k = 0; k < vertices.length; k++) {
    if (Math.abs(values[k] - values[bestIdx]) > fTol) return false;
    const v = vertices[k];
    for (let j = 0; j < b.length; j++) if (Math.abs(v[j] - b[j]) > xTol) return false;
  }
  return true;
}
