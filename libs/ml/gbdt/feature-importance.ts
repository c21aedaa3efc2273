import { GbdtModel } from './model-format';

export interface FeatureImportance {
  feature: number;
  name: string;
  /** Total loss reduction of the feature's splits. */
  gain: number;
  /** Number of splits on the feature. */
  splits: number;
}

/** Importance of every feature, most important first (by gain, then split count, then index). */
export function featureImportance(model: GbdtModel): FeatureImportance[] {
  const out = model.featureNames.map((name, feature) => ({ feature, name, gain: 0, splits: 0 }));
  for (const t of model.trees) {
    for (let k = 0; k < t.feature.length; k++) {
      out[t.feature[k]].gain += t.gain[k];
      out[t.feature[k]].splits++;
    }
  }
  return out.sort((a, b) => b.gain - a.gain || b.splits - a.splits || a.feature - b.feature);
}
