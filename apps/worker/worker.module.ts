import { Module } from '@nestjs/common';
import { ImportEventsActivities } from '../../activities/ingestion/import-events.activities';
import { CpuSlots } from '../../activities/predictions/cpu-slots';
import { QualityGateActivities } from '../../activities/predictions/quality-gate.activities';
import { ScoringActivities } from '../../activities/predictions/scoring.activities';
import { TrainingActivities } from '../../activities/predictions/training.activities';
import { TrainingSetsActivities } from '../../activities/predictions/training-sets.activities';
import { SendTimeActivities } from '../../activities/send-time/send-time.activities';
import { SendDecisionActivities } from '../../activities/typology/send-decisions.activities';
import { ConfigModule } from '../../libs/config/config.module';
import { PersistenceModule } from '../../libs/persistence/persistence.module';
import { ActivityProvidersByQueue } from '../../libs/temporal/worker-factory';
import { TypologyModule } from '../../libs/typology/typology.module';

/** Which activities each task queue serves: heavy ML work never shares slots with sends. */
export const ACTIVITIES_BY_QUEUE: ActivityProvidersByQueue = {
  // Population passes: imports, training, scoring, send-time profiles.
  ml: [ImportEventsActivities, TrainingActivities, QualityGateActivities, TrainingSetsActivities, ScoringActivities, SendTimeActivities],
  // What journey steps call: typology decisions (decideSend, confirmSend, releaseSend) and the next best moment.
  journeys: [SendDecisionActivities],
};

@Module({
  imports: [ConfigModule, PersistenceModule, TypologyModule],
  providers: [CpuSlots, ...Object.values(ACTIVITIES_BY_QUEUE).flat()],
})
export class WorkerModule {}
