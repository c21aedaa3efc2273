import { Module } from '@nestjs/common';
import { ImportEventsActivities } from '../../activities/ingestion/import-events.activities';
import { CpuSlots } from '../../activities/predictions/cpu-slots';
import { QualityGateActivities } from '../../activities/predictions/quality-gate.activities';
import { ScoringActivities } from '../../activities/predictions/scoring.activities';
import { TrainingActivities } from '../../activities/predictions/training.activities';
import { TrainingSetsActivities } from '../../activities/predictions/training-sets.activities';
import { SegmentActivities } from '../../activities/segments/segment.activities';
import { SegmentEvaluator } from '../../activities/segments/segment-evaluator';
import { SegmentIngestionModule } from '../../activities/segments/segment-ingestion.notifier';
import { SegmentMembershipModule } from '../../activities/segments/segment-membership.reader';
import { SegmentPopulation } from '../../activities/segments/segment-population';
import { SendTimeActivities } from '../../activities/send-time/send-time.activities';
import { SendLedgerSweepActivities } from '../../activities/typology/send-ledger-sweep.activities';
import { SendDecisionActivities } from '../../activities/typology/send-decisions.activities';
import { ConfigModule } from '../../libs/config/config.module';
import { PersistenceModule } from '../../libs/persistence/persistence.module';
import { TemporalClientModule } from '../../libs/temporal/temporal-client.module';
import { ActivityProvidersByQueue } from '../../libs/temporal/worker-factory';
import { TypologyModule } from '../../libs/typology/typology.module';

/** Which activities each task queue serves: heavy ML work never shares slots with sends. */
export const ACTIVITIES_BY_QUEUE: ActivityProvidersByQueue = {
  // Population passes: imports, training, scoring, send-time profiles (and the daily ledger sweep), segment evaluations.
  ml: [ImportEventsActivities, TrainingActivities, QualityGateActivities, TrainingSetsActivities, ScoringActivities, SendTimeActivities, SendLedgerSweepActivities, SegmentActivities],
  // What journey steps call: typology decisions (decideSend, confirmSend, releaseSend) and the next best moment.
  journeys: [SendDecisionActivities],
};

@Module({
  // The Temporal client: segment activities signal-with-start segment workflows. Segment membership:
  // what typology filtering rules that exclude segments read. Segment ingestion: imported events
  // signal the segments reading them.
  imports: [ConfigModule, PersistenceModule, SegmentMembershipModule, SegmentIngestionModule, TypologyModule, TemporalClientModule],
  providers: [CpuSlots, ...Object.values(ACTIVITIES_BY_QUEUE).flat(), SegmentEvaluator, SegmentPopulation],
})
export class WorkerModule {}
