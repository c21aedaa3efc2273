import mongoose from 'mongoose';
import { ZodError } from 'zod';
import { typologySchema } from '../../libs/domain/typology';
import { StandaloneTypology, standaloneTypology } from '../../libs/typology/standalone-decider';
import { UnknownTypologyError } from '../../libs/typology/typology-decider';
import { dropDb, openDb, testEnv } from '../support/test-env';
import { predictionDoc } from '../support/prediction-doc';

const NOW = Date.parse('2030-03-12T10:00:00Z'); // 11:00 in Paris
const holdout = { memberOf: async (userId: string, ids: readonly string[]) => new Set(userId === 'u-holdout' ? ids.filter((s) => s === 'holdout') : []) };
const user = (id: string) => ({ id, timezone: 'Europe/Paris', addresses: { email: `${id}@example.test` } });
const message = (id: string, over: Record<string, unknown> = {}) => ({ id, typologyId: 'marketing', channel: 'email', ...over });

const DISTRIBUTION = { users: 2, histogram: [], categories: { Low: 0, Medium: 0, High: 2 }, scoreCounts: [], percentiles: [], seconds: 0, usersPerSecond: 0 };

describe('typology decisions from stored facts', () => {
  const { cfg } = testEnv('typology-facts');
  let conn: mongoose.Connection;
  let t: StandaloneTypology;

  beforeAll(async () => {
    conn = await openDb(cfg);
    t = standaloneTypology(conn, holdout);
    await t.typologies.create(
      typologySchema.parse({
        id: 'marketing',
        name: 'Marketing',
        rules: [
          { type: 'filtering', name: 'hygiene', suppressionLists: ['bounces'], excludeSegments: ['holdout'] },
          { type: 'fatigue', name: 'tired', predictionId: 'p-unsub', signal: 'unsubscribe_risk', threshold: 80 },
          { type: 'quiet_hours', name: 'night', start: '22:00', end: '08:00' },
        ],
      }),
    );
    await conn.collection('predictions').insertOne(predictionDoc('p-unsub', { name: 'unsubscribe risk', type: 'unsubscribe', definition: { windowDays: 30 }, modelParams: {}, activeModelVersion: 1 }) as never);
    // An older complete set holds u-old-set's high score; the active (newest) set does not score that user.
    const score = (userId: string, s: number) => ({ _id: userId, s: 0, g: 0, probability: s / 100, score: s, category: 'High' as const });
    const older = await t.scoreSets.register('p-unsub', 1, NOW - 2 * 86_400_000);
    await t.scoreSets.writeScores(older, [score('u-old-set', 99)]);
    await t.scoreSets.complete(older, DISTRIBUTION);
    const active = await t.scoreSets.register('p-unsub', 1, NOW - 86_400_000);
    await t.scoreSets.writeScores(active, [score('u-risky', 91), score('u-fine', 12)]);
    await t.scoreSets.complete(active, DISTRIBUTION);
    await t.suppressionLists.add('bounces', [{ address: 'U-Bounced@Example.test' }]);
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('suppresses by suppression list, excluded segment and the active score set, and records why', async () => {
    const decide = (userId: string, over = {}) => t.decider.decide(message(`${userId}-1`, over), user(userId), NOW);
    expect(await decide('u-fine')).toMatchObject({ outcome: 'send' });
    expect(await decide('u-bounced')).toMatchObject({ outcome: 'suppress', rule: 'hygiene', reason: 'on suppression list bounces' });
    expect(await decide('u-holdout')).toMatchObject({ outcome: 'suppress', rule: 'hygiene', reason: 'member of excluded segment holdout' });
    expect(await decide('u-risky')).toMatchObject({ outcome: 'suppress', rule: 'tired', reason: 'unsubscribe risk 91 >= 80 (prediction p-unsub)' });
    // Only the active score set counts; a priority message is never held back.
    expect(await decide('u-old-set')).toMatchObject({ outcome: 'send' });
    expect(await t.decider.decide(message('u-risky-2', { priority: 3 }), user('u-risky'), NOW + 60_000)).toMatchObject({ outcome: 'send' });

    const [why] = await t.decisions.forUser('u-risky');
    expect(why).toMatchObject({ messageId: 'u-risky-2', outcome: 'send' });
    expect((await t.decisions.forUser('u-risky'))[1]).toEqual({
      userId: 'u-risky', messageId: 'u-risky-1', typologyId: 'marketing', channel: 'email', outcome: 'suppress', rule: 'tired', ruleType: 'fatigue',
      reason: 'unsubscribe risk 91 >= 80 (prediction p-unsub)', until: null, at: NOW,
    });
  });

  it('feeds no rule from a preview prediction', async () => {
    await conn.collection('predictions').updateOne({ _id: 'p-unsub' as never }, { $set: { status: 'preview' } });
    const fresh = standaloneTypology(conn, holdout);
    expect(await fresh.decider.decide(message('u-risky-3'), user('u-risky'), NOW)).toMatchObject({ outcome: 'send' });
    await conn.collection('predictions').updateOne({ _id: 'p-unsub' as never }, { $set: { status: 'active' } });
  });

  it('defers at night in the user’s zone and records until when', async () => {
    const night = Date.parse('2030-03-12T23:30:00Z'); // 00:30 in Paris
    expect(await t.decider.decide(message('late'), user('u-fine'), night)).toMatchObject({ outcome: 'defer', rule: 'night', until: Date.parse('2030-03-13T07:00:00Z') });
    expect((await t.decisions.forMessage('late'))[0]).toMatchObject({ outcome: 'defer', until: Date.parse('2030-03-13T07:00:00Z') });
  });

  it('refuses bad input loudly: unknown typology, invalid message, segments without a membership source', async () => {
    await expect(t.decider.decide(message('x', { typologyId: 'nope' }), user('u-fine'), NOW)).rejects.toBeInstanceOf(UnknownTypologyError);
    await expect(t.decider.decide(message('x', { channel: 'fax' }), user('u-fine'), NOW)).rejects.toBeInstanceOf(ZodError);
    await expect(standaloneTypology(conn).decider.decide(message('x'), user('u-fine'), NOW)).rejects.toThrow(/no segment membership/);
    expect(await t.decisions.forMessage('x')).toEqual([]);
  });
});
