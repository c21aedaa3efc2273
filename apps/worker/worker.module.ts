import { Module } from '@nestjs/common';
import { ImportEventsActivities } from '../../activities/ingestion/import-events.activities';
import { QualityGateActivities } from '../../activities/predictions/quality-gate.activities';
import { ScoringActivities } from '../../activities/predictions/scoring.activities';
import { TrainingActivities } from '../../activities/predictions/training.activities';
import { TrainingSetsActivities } from '../../activities/predictions/training-sets.activities';
import { ConfigModule } from '../../libs/config/config.module';
import { PersistenceModule } from '../../libs/persistence/persistence.module';
import { ActivityProvidersByQueue } from '../../libs/temporal/worker-factory';

/** Which activities each task queue serves: heavy ML work never shares slots with sends. */
export const ACTIVITIES_BY_QUEUE: ActivityProvidersByQueue = {
  ml: [ImportEventsActivities, TrainingActivities, QualityGateActivities, TrainingSetsActivities, ScoringActivities],
  journeys: [],
};

@Module({
  imports: [ConfigModule, PersistenceModule],
  providers: Object.values(ACTIVITIES_BY_QUEUE).flat(),
})
export class WorkerModule {}
