import { TrainingData } from './booster';

/** The given rows of a column-major matrix with n rows (feature j of row i at j*n + i), same layout. */
export function selectRows(x: Float32Array, n: number, rows: ArrayLike<number>): Float32Array {
  const p = x.length / n;
  const m = rows.length;
  const out = new Float32Array(m * p);
  for (let j = 0; j < p; j++) {
    const src = j * n;
    const dst = j * m;
    for (let k = 0; k < m; k++) out[dst + k] = x[src + rows[k]];
  }
  return out;
}

/** The given rows of a training table (labels and metadata carried along). */
export function selectTrainingRows(data: TrainingData, rows: ArrayLike<number>): TrainingData {
  const y = new Uint8Array(rows.length);
  for (let k = 0; k < rows.length; k++) y[k] = data.y[rows[k]];
  return { ...data, x: selectRows(data.x, data.n, rows), n: rows.length, y };
}
