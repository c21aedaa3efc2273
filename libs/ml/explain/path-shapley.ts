/**
 * The Shapley contributions of ONE leaf of a tree to a row's prediction, the building block of exact
 * TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for tree
 * ensembles"; Algorithm 2 computes the same sums incrementally along each path).
 *
 * Along the path from the root to the leaf, each distinct feature j has a "zero fraction" z_j (the
 * product of the cover shares of the branches the path takes at j's nodes: how much of the training data
 * follows the path there) and a "one fraction" o_j, 1 when the row itself takes all of those branches
 * ("hot"), else 0 ("cold"). With the path-dependent value function, the leaf adds
 * value × Π_{j∈S} o_j × Π_{j∉S} z_j to E[f(x) | x_S], so its Shapley share for feature i is
 *   hot i:  value · (1 − z_i) · Zc · Σ_s w(s, D) · e_{h−1−s}(z over the hot set without i)
 *   cold i: −value · Zc · Σ_s w(s, D) · e_{h−s}(z over the hot set)
 * where D is the number of distinct path features, h the number of hot ones, Zc the product of the
 * cold features' z, e_k the elementary symmetric polynomials and w(s, D) = s!(D−s−1)!/D!. The sums over
 * subsets collapse to those polynomials because a subset holding a cold feature adds nothing. Every
 * cold feature gets the same share. O(D²) per leaf and row; tree-shap.ts tables it per hot mask.
 */

/** w(s, D) = s!(D−s−1)!/D! = 1 / (D · C(D−1, s)) for s = 0..D−1 (row D of the table at offset D·(D−1)/2). */
export function shapleyWeightTable(maxD: number): Float64Array {
  const out = new Float64Array((maxD * (maxD + 1)) / 2);
  for (let D = 1; D <= maxD; D++) {
    let binom = 1; // C(D−1, s)
    const at = (D * (D - 1)) / 2;
    for (let s = 0; s < D; s++) {
      out[at + s] = 1 / (D * binom);
      binom = (binom * (D - 1 - s)) / (s + 1);
    }
  }
  return out;
}

/**
 * Writes the leaf's contribution to each of its D path features into out[outAt + i] (i in path order).
 * `z[zAt + i]` are the zero fractions, bit i of `hot` says whether the row follows feature i's branches;
 * `weights` is shapleyWeightTable(≥ D); `poly` is scratch of at least D + 1 numbers.
 */
export function leafShapley(
  z: Float64Array,
  zAt: number,
  D: number,
  value: number,
  hot: number,
  weights: Float64Array,
  poly: Float64Array,
  out: Float64Array,
  outAt: number,
): void {
  const w = (D * (D - 1)) / 2;
  // e_k(z over the hot set) as the coefficients of Π (1 + z_j t), and Zc = Π of the cold z.
  poly[0] = 1;
  let h = 0;
  let zc = 1;
  for (let j = 0; j < D; j++) {
    const zj = z[zAt + j];
    if ((hot >>> j) & 1) {
      h++;
      poly[h] = 0;
      for (let k = h; k > 0; k--) poly[k] += zj * poly[k - 1];
    } else zc *= zj;
  }
  const scale = value * zc;
  let coldShare = 0;
  if (h < D) {
    for (let s = 0; s <= h; s++) coldShare += weights[w + s] * poly[h - s];
    coldShare = -scale * coldShare;
  }
  for (let i = 0; i < D; i++) {
    if (!((hot >>> i) & 1)) {
      out[outAt + i] = coldShare;
      continue;
    }
    // Divide (1 + z_i t) out of the polynomial: q_k = e_k − z_i q_{k−1}, summed against the weights.
    const zi = z[zAt + i];
    let q = 1;
    let sum = weights[w + h - 1] * q;
    for (let k = 1; k < h; k++) {
      q = poly[k] - zi * q;
      sum += weights[w + h - 1 - k] * q;
    }
    out[outAt + i] = scale * (1 - zi) * sum;
  }
}
