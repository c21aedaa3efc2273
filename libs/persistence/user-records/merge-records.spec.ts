import { mergeRecords } from './merge-records';
import { decodeRecord, eventsRecord, mergedRecord, profileRecord } from './user-record';
import { userSlot, USER_SLOTS } from '../../domain/user-slots';

const ev = (eventId: string, day: number, type = 'session', amount?: number) => ({
  eventId,
  userId: 'u1',
  type,
  ts: new Date(Date.UTC(2026, 0, day)),
  ...(amount !== undefined ? { amount } : {}),
});
const at = (ms: number) => new Date(Date.UTC(2026, 1, 1) + ms);

describe('user records', () => {
  it('gives the same record id to the same events however they are ordered, so a retry stores nothing twice', () => {
    const a = eventsRecord('u1', [ev('e1', 1), ev('e2', 2)], at(0));
    const b = eventsRecord('u1', [ev('e2', 2), ev('e1', 1)], at(5));
    expect(a._id).toBe(b._id);
    expect(a).toMatchObject({ u: 'u1', s: userSlot('u1'), n: 2 });
    expect(eventsRecord('u1', [ev('e1', 1)], at(0))._id).not.toBe(a._id);
  });

  it('merges events once by id (the first stored wins), oldest first, and profile fields newest-wins', () => {
    const records = [
      profileRecord('u1', { attributes: { plan: 'free', country: 'FR' }, email: 'a@x.test', createdAt: new Date(Date.UTC(2025, 5, 1)) }, at(0)),
      eventsRecord('u1', [ev('e2', 5, 'purchase', 10), ev('e1', 3)], at(1)),
      eventsRecord('u1', [ev('e2', 9, 'purchase', 99), ev('e3', 4)], at(2)), // e2 again with other content
      profileRecord('u1', { attributes: { plan: 'pro' }, subscription: { email: 'unsubscribed' }, timezone: 'Europe/Paris' }, at(3)),
    ].map(decodeRecord);
    // The store may return records in any order: the result must not depend on it.
    for (const order of [records, [...records].reverse()]) {
      const { timeline } = mergeRecords('u1', order);
      expect(timeline.events.map((e) => [e.eventId, e.ts, e.amount])).toEqual([
        ['e1', Date.UTC(2026, 0, 3), undefined],
        ['e3', Date.UTC(2026, 0, 4), undefined],
        ['e2', Date.UTC(2026, 0, 5), 10],
      ]);
      expect(timeline).toMatchObject({
        userId: 'u1',
        email: 'a@x.test',
        timezone: 'Europe/Paris',
        attributes: { plan: 'pro', country: 'FR' },
        subscription: { email: 'unsubscribed' },
        createdAt: Date.UTC(2025, 5, 1),
        updatedAt: at(3).getTime(),
      });
    }
  });

  it('dates a user without a given creation date by the first record, also after compaction', () => {
    const first = decodeRecord(eventsRecord('u1', [ev('e1', 1)], at(10)));
    const later = decodeRecord(eventsRecord('u1', [ev('e2', 2)], at(20)));
    const merged = mergeRecords('u1', [first, later]);
    expect(merged.timeline.createdAt).toBe(at(10).getTime());
    const compacted = decodeRecord(mergedRecord('u1', merged.body, new Date(merged.at)));
    const next = decodeRecord(profileRecord('u1', { attributes: { plan: 'pro' } }, at(30)));
    const again = mergeRecords('u1', [compacted, next]).timeline;
    expect(again.createdAt).toBe(at(10).getTime());
    expect(again.events.map((e) => e.eventId)).toEqual(['e1', 'e2']);
  });

  it('a merged record reads exactly like the records it replaces, and merging is idempotent', () => {
    const records = [
      profileRecord('u1', { attributes: { plan: 'free' } }, at(0)),
      eventsRecord('u1', [ev('e1', 1), ev('e2', 2)], at(1)),
      profileRecord('u1', { attributes: { plan: 'pro' } }, at(2)),
    ].map(decodeRecord);
    const merged = mergeRecords('u1', records);
    const asOne = decodeRecord(mergedRecord('u1', merged.body, new Date(merged.at)));
    expect(mergeRecords('u1', [asOne]).timeline).toEqual(merged.timeline);
    // Old and merged records side by side (a concurrent compaction, or a delete not done yet): same view.
    expect(mergeRecords('u1', [...records, asOne]).timeline).toEqual(merged.timeline);
    expect(mergedRecord('u1', mergeRecords('u1', [asOne]).body, new Date(merged.at))._id).toBe(mergedRecord('u1', merged.body, new Date(merged.at))._id);
  });

  it('spreads user ids evenly over the slots', () => {
    const counts = new Array<number>(USER_SLOTS).fill(0);
    for (let i = 0; i < 200_000; i++) counts[userSlot(`u${String(i).padStart(7, '0')}`)]++;
    const mean = 200_000 / USER_SLOTS;
    expect(Math.max(...counts)).toBeLessThan(mean * 1.35);
    expect(Math.min(...counts)).toBeGreaterThan(mean * 0.65);
  });
});
