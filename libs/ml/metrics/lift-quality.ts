import type { LiftQualityGrade } from '../../domain/model-version';
import { requireBothClasses } from './binary-inputs';
import { scoreGroups } from './score-groups';

export interface LiftQuality {
  /** Percent: 0 = random targeting, 100 = perfect; negative when worse than random. */
  percent: number;
  grade: LiftQualityGrade;
}

/** Braze's grade bands for prediction quality. */
export function liftQualityGrade(percent: number): LiftQualityGrade {
  if (percent < 20) return 'Poor';
  if (percent < 40) return 'Fair';
  if (percent < 60) return 'Good';
  return 'Excellent';
}

/**
 * Braze's "prediction quality": the average lift over random across all audience sizes. On the
 * gains curve (share of audience targeted -> share of positives captured), random has area 1/2
 * and a perfect ranking, capturing everyone by audience share p = positive rate, has 1 - p/2;
 * the model's area is placed on that scale. Tied scores are targeted together, so their segment
 * is a straight line (the expected capture under random tie-breaking).
 */
export function liftQuality(labels: ArrayLike<number>, scores: ArrayLike<number>): LiftQuality {
  const g = scoreGroups('liftQuality', labels, scores);
  requireBothClasses('liftQuality', g.n, g.positives);
  let area = 0;
  let prevSelected = 0;
  let prevTp = 0;
  for (let k = 0; k < g.scores.length; k++) {
    const width = (g.selected[k] - prevSelected) / g.n;
    area += (width * (prevTp + g.truePositives[k])) / (2 * g.positives);
    prevSelected = g.selected[k];
    prevTp = g.truePositives[k];
  }
  const positiveRate = g.positives / g.n;
  const randomArea = 0.5;
  const perfectArea = 1 - positiveRate / 2;
  const percent = (100 * (area - randomArea)) / (perfectArea - randomArea);
  return { percent, grade: liftQualityGrade(percent) };
}
