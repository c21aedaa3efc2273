/**
 * Natural cubic splines (Hastie, Tibshirani & Friedman, The Elements of Statistical Learning, eq. 5.4–5.5):
 * with K knots a function of v that is cubic between the knots, linear outside them and twice
 * continuously differentiable is a + b·v + Σ c_k N_k(v) over the K − 2 nonlinear basis functions below.
 * A logistic regression gets them per numeric feature so that a saturating or U-shaped effect (a count
 * whose first few units matter most, a recency) is not forced onto a straight line.
 */

const cube = (u: number) => (u > 0 ? u * u * u : 0);

/**
 * out[k] = N_{k+2}(v) for k < K − 2, on v rescaled so that the knots span [0, 1] (keeps the values of
 * order one whatever the feature's units). `knots` ascending, at least 3, distinct.
 */
export function naturalSplineBasis(knots: readonly number[], v: number, out: Float64Array): void {
  const K = knots.length;
  const first = knots[0];
  const span = knots[K - 1] - first;
  const u = (v - first) / span;
  const last = cube(u - 1);
  // d_k(u) = ((u − ξ_k)³₊ − (u − ξ_K)³₊) / (ξ_K − ξ_k) on the rescaled knots ξ; N_{k+2} = d_k − d_{K−1}.
  const xiPenultimate = (knots[K - 2] - first) / span;
  const dPenultimate = (cube(u - xiPenultimate) - last) / (1 - xiPenultimate);
  for (let k = 0; k < K - 2; k++) {
    const xi = (knots[k] - first) / span;
    out[k] = (cube(u - xi) - last) / (1 - xi) - dPenultimate;
  }
}

/** Basis values of one call of naturalSplineValue (prediction calls it per row: no allocation). */
let scratch = new Float64Array(8);

/** Σ_k coefs[k] · N_{k+2}(v): a fitted spline's nonlinear part at v. */
export function naturalSplineValue(knots: readonly number[], coefs: readonly number[], v: number): number {
  if (scratch.length < coefs.length) scratch = new Float64Array(coefs.length);
  naturalSplineBasis(knots, v, scratch);
  let sum = 0;
  for (let k = 0; k < coefs.length; k++) sum += coefs[k] * scratch[k];
  return sum;
}
