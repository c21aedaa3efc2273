import { Module } from '@nestjs/common';
import { ImportEventsActivities } from '../../activities/ingestion/import-events.activities';
import { ScoringActivities } from '../../activities/predictions/scoring.activities';
import { TrainingActivities } from '../../activities/predictions/training.activities';
import { SegmentActivities } from '../../activities/segments/segment.activities';
import { SegmentEvaluator } from '../../activities/segments/segment-evaluator';
import { SegmentPopulation } from '../../activities/segments/segment-population';
import { ConfigModule } from '../../libs/config/config.module';
import { PersistenceModule } from '../../libs/persistence/persistence.module';
import { TemporalClientModule } from '../../libs/temporal/temporal-client.module';
import { ActivityProvidersByQueue } from '../../libs/temporal/worker-factory';

/** Which activities each task queue serves: heavy ML work never shares slots with sends. */
export const ACTIVITIES_BY_QUEUE: ActivityProvidersByQueue = {
  ml: [ImportEventsActivities, TrainingActivities, ScoringActivities, SegmentActivities],
  journeys: [],
};

@Module({
  // The Temporal client: segment activities signal-with-start segment workflows.
  imports: [ConfigModule, PersistenceModule, TemporalClientModule],
  providers: [...Object.values(ACTIVITIES_BY_QUEUE).flat(), SegmentEvaluator, SegmentPopulation],
})
export class WorkerModule {}
