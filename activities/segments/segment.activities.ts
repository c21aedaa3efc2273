import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { GroupOutcome, PartitionOutcome, SegmentCommit, SegmentEvaluationPlan } from '../../libs/domain/segment-workflows';
import { SegmentDefinitionsRepository } from '../../libs/persistence/segment-definitions.repository';
import { dependencies } from '../../libs/segments';
import { Activity } from '../../libs/temporal/activity.decorator';
import { reevaluateSegment } from '../../libs/temporal/segment-workflows';
import { TEMPORAL_CLIENT } from '../../libs/temporal/temporal-client.module';
import { keepHeartbeating } from '../predictions/keep-heartbeating';
import { CommitInput, EvaluatePartitionInput, SegmentEvaluator } from './segment-evaluator';

/** The I/O of a segment's workflow (plan, evaluate a partition, commit a version) and the rescore hook `notifyDependants`. */
@Injectable()
export class SegmentActivities {
  constructor(
    @Inject(SegmentEvaluator) private readonly evaluator: SegmentEvaluator,
    @Inject(SegmentDefinitionsRepository) private readonly definitions: SegmentDefinitionsRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Activity()
  planSegmentEvaluation(input: { segmentId: string; now: number; partitionUsers?: number }): Promise<SegmentEvaluationPlan> {
    return this.evaluator.plan(input.segmentId, input.now, input.partitionUsers);
  }

  /** One partition, heartbeating the groups settled: a retry resumes after them, and looks for what the failed attempt stored. */
  @Activity()
  async evaluateSegmentPartition(input: EvaluatePartitionInput): Promise<PartitionOutcome> {
    const { info } = Context.current();
    input = { ...input, recheckStored: input.recheckStored || info.attempt > 1 };
    const resumed = (info.heartbeatDetails as GroupOutcome[] | undefined) ?? [];
    const done = new Map(resumed.map((o) => [o.group, o]));
    const details = () => [...done.values()];
    return keepHeartbeating(details, () => this.evaluator.evaluatePartition(input, done, () => Context.current().heartbeat(details())));
  }

  /** Commits the version (and deletes what retention lets go), then signals the segments that read this one (their members may follow). */
  @Activity()
  async commitSegmentVersion(input: CommitInput): Promise<SegmentCommit> {
    const { commit, readers } = await keepHeartbeating(() => undefined, () => this.evaluator.commit(input));
    for (const id of readers) await reevaluateSegment(this.temporal, this.cfg, id, { reason: 'segments', segmentId: commit.segmentId });
    return commit;
  }

  /**
   * The rescore hook: once a prediction's new score set is complete, every segment reading the
   * prediction re-evaluates (signal-with-start of its workflow). Segments reading those follow when
   * their members change.
   */
  @Activity()
  async notifyDependants(input: { predictionId: string; scoreSetId: string }): Promise<{ segments: string[] }> {
    const segments = (await this.definitions.live()).filter((s) => dependencies(s.definition!).predictions.some((p) => p.predictionId === input.predictionId));
    for (const s of segments) await reevaluateSegment(this.temporal, this.cfg, s.segmentId, { reason: 'rescore', predictionId: input.predictionId, scoreSetId: input.scoreSetId });
    return { segments: segments.map((s) => s.segmentId) };
  }
}
