import { Inject, Injectable } from '@nestjs/common';
import { TrainingSetsRepository } from '../../libs/persistence/training-sets.repository';
import { Activity } from '../../libs/temporal/activity.decorator';

/**
 * A training set older than this belongs to a retrain that died without cleaning up (its worker was
 * killed, the workflow was terminated): a retrain's own steps take at most a few hours.
 */
export const TRAINING_SET_MAX_AGE_HOURS = 24;

/** Housekeeping of the stored training sets. */
@Injectable()
export class TrainingSetsActivities {
  constructor(@Inject(TrainingSetsRepository) private readonly trainingSets: TrainingSetsRepository) {}

  /** Deletes the sets that crashed retrains left behind; returns their retrain ids. Idempotent. */
  @Activity()
  async sweepTrainingSets(): Promise<string[]> {
    return this.trainingSets.deleteSavedBefore(new Date(Date.now() - TRAINING_SET_MAX_AGE_HOURS * 3600_000));
  }
}
