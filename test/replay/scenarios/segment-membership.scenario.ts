import { SegmentRevisionDoc, segmentRevisionId } from '../../../libs/persistence/segment-definitions.repository';
import { reevaluateSegment } from '../../../libs/temporal/segment-workflows';
import { eventually } from '../../support/eventually';
import { activePrediction, writeScoreSet } from '../../support/score-sets';
import { ReplayScenario } from '../scenario';

/**
 * segmentMembership: a score segment evaluated (version 1 committed), evaluated again on a new score
 * set (version 2), then deleted, which ends the run.
 */
const scenario: ReplayScenario = {
  name: 'segment-membership',
  async record(ctx) {
    const predictionId = 'p_0000replay51';
    const segmentId = 's_0000replay51';
    const scores = (seed: number) => new Map(Array.from({ length: 300 }, (_, i) => [`r${i}`, (i * 31 + seed * 17) % 101]));
    await activePrediction(ctx.db, predictionId);
    await writeScoreSet(ctx.db, predictionId, Date.UTC(2026, 10, 30), scores(1));
    const revision = (n: number, deleted: boolean): SegmentRevisionDoc => ({
      _id: segmentRevisionId(segmentId, n),
      segmentId,
      revision: n,
      name: 'Replay: score 60+',
      description: null,
      definition: deleted ? null : { type: 'predictionScore', predictionId, min: 60, max: 100 },
      deleted,
      at: new Date(),
      by: { keyId: null, name: 'replay recorder', role: 'admin' },
    });
    const heads = ctx.db.collection('segment_heads');
    const atVersion = (v: number) => eventually(async () => ((await heads.findOne({ _id: segmentId as never }))?.version === v ? true : undefined), 60_000, `version ${v}`);
    await ctx.db.collection('segment_definitions').insertOne(revision(1, false) as never);
    const workflowId = await reevaluateSegment(ctx.client, ctx.cfg, segmentId, { reason: 'created' });
    await atVersion(1);
    await writeScoreSet(ctx.db, predictionId, Date.UTC(2026, 11, 1), scores(2));
    await reevaluateSegment(ctx.client, ctx.cfg, segmentId, { reason: 'rescore', predictionId });
    await atVersion(2);
    await ctx.db.collection('segment_definitions').insertOne(revision(2, true) as never);
    await reevaluateSegment(ctx.client, ctx.cfg, segmentId, { reason: 'deleted' });
    return [{ scenario: 'evaluate-change-delete', handle: ctx.client.workflow.getHandle(workflowId) }];
  },
};
export default scenario;
