import { activeScoreSet, droppableScoreSets, ScoreSetState, ABANDONED_WRITING_MS } from './score-sets';

const set = (key: string, asOf: number, completedAt?: number, createdAt = 0): ScoreSetState => ({
  key,
  asOf,
  createdAt,
  state: completedAt === undefined ? 'writing' : 'complete',
  completedAt,
});

describe('score sets', () => {
  it('readers use the complete set with the latest as-of time, whatever order runs finished in', () => {
    const a = set('a', 100, 500);
    const b = set('b', 200, 400);
    const c = set('c', 300); // still writing
    expect(activeScoreSet([a, b, c])).toBe(b);
    expect(activeScoreSet([c])).toBeNull();
  });

  it('keeps a replaced set for the grace period, then drops it', () => {
    const old = set('old', 100, 1000);
    const cur = set('cur', 200, 2000);
    expect(droppableScoreSets([old, cur], 2000 + 59_000, 60_000)).toEqual([]);
    expect(droppableScoreSets([old, cur], 2000 + 60_000, 60_000)).toEqual([old]);
  });

  it('drops at once a set that was already superseded when it completed (two rescores at once)', () => {
    const slow = set('slow', 100, 3000); // older as-of, finished last: never active
    const fast = set('fast', 200, 2000);
    expect(activeScoreSet([slow, fast])).toBe(fast);
    expect(droppableScoreSets([slow, fast], 3000, 3_600_000)).toEqual([slow]);
  });

  it('drops sets whose run was abandoned while writing, and never the active one', () => {
    const dead = set('dead', 100, undefined, 0);
    const live = set('live', 150, undefined, ABANDONED_WRITING_MS);
    const cur = set('cur', 200, 10);
    expect(droppableScoreSets([dead, live, cur], ABANDONED_WRITING_MS + 1, 0)).toEqual([dead]);
  });
});
