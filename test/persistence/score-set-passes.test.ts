import mongoose from 'mongoose';
import { ClvOutput, StoredReasons, toJsonText } from '../../libs/domain/prediction-outputs';
import { SLOT_GROUPS, slotGroup, userSlot } from '../../libs/domain/user-slots';
import { SCORE_SET_MODEL, ScoreDoc, scoreSetSchema } from '../../libs/persistence/score-set.schema';
import { ScoreSetsRepository } from '../../libs/persistence/score-sets.repository';
import { dropDb, openDb, testEnv } from '../support/test-env';

describe('Score set passes on the real store: every score once, group by group, without the reasons', () => {
  const { cfg } = testEnv('score-set-passes');
  let conn: mongoose.Connection;
  let repo: ScoreSetsRepository;
  const USERS = 3000;

  beforeAll(async () => {
    conn = await openDb(cfg);
    repo = new ScoreSetsRepository(conn.model(SCORE_SET_MODEL, scoreSetSchema));
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('scoresByGroup yields the 64 groups in order, each score once, with every field but the reasons', async () => {
    const set = await repo.register('p_passes', 1, Date.UTC(2030, 0, 1));
    const docs: ScoreDoc[] = Array.from({ length: USERS }, (_, i) => {
      const id = `u${i}`;
      const s = userSlot(id);
      return {
        _id: id,
        s,
        g: slotGroup(s),
        probability: (i % 100) / 100,
        score: i % 100,
        category: 'Low',
        reasons: toJsonText<StoredReasons>([3, i, 0.5]),
        clv: toJsonText<ClvOutput>({ expectedValue: i, expectedPurchases: 1, probabilityAlive: 0.9, valuePercentile: 50, tier: 'low', expectedNextPurchaseAt: null, averageDaysBetweenPurchases: null, purchases: 1 }),
      };
    });
    await repo.writeScores(set, docs);

    const groups: number[][] = [];
    const seen = new Map<string, Record<string, unknown>>();
    for await (const group of repo.scoresByGroup(set, 3)) {
      groups.push([...new Set(group.map((d) => d.g))]);
      for (const d of group) seen.set(d._id, d as unknown as Record<string, unknown>);
    }
    expect(groups).toHaveLength(SLOT_GROUPS);
    // Group k holds only group k's scores (an empty group yields an empty list).
    groups.forEach((gs, k) => expect(gs.every((g) => g === k)).toBe(true));
    expect(seen.size).toBe(USERS);
    const u7 = seen.get('u7')!;
    expect(u7.reasons).toBeUndefined();
    expect(u7).toMatchObject({ score: 7, probability: 0.07, clv: docs[7].clv });

    let streamed = 0;
    for await (const d of repo.streamScores(set)) {
      streamed++;
      expect((d as Record<string, unknown>).reasons).toBeUndefined();
    }
    expect(streamed).toBe(USERS);
  });
});
