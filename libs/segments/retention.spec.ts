import { RetentionInput, RetentionState, retentionPlan } from './retention';

const MIN = 60_000;
const DAY = 86_400_000;
const empty: RetentionState = { retired: [], marks: [], changesPrunedThrough: 0 };
const base = (over: Partial<RetentionInput>): RetentionInput => ({
  state: empty,
  previousGroups: [0, 0, 0],
  groups: [0, 0, 0],
  version: 1,
  changed: true,
  now: 100 * DAY,
  bucketGraceMs: 10 * MIN,
  changesRetentionMs: 30 * DAY,
  maxChangeVersions: 100,
  ...over,
});

describe('retentionPlan: member buckets', () => {
  it('retires the buckets a commit replaces and keeps them readable through the grace period', () => {
    const plan = retentionPlan(base({ previousGroups: [1, 1, 0], groups: [2, 1, 2], version: 2 }));
    expect(plan.deleteBuckets).toEqual([]);
    // Group 1 kept its bucket and group 2 had none: only group 0's version-1 bucket is replaced.
    expect(plan.state.retired).toEqual([{ version: 2, at: 100 * DAY, buckets: [{ version: 1, group: 0 }] }]);
  });

  it('deletes retired buckets once the grace period has passed, and only those', () => {
    const state: RetentionState = {
      ...empty,
      retired: [
        { version: 2, at: 100 * DAY - 11 * MIN, buckets: [{ version: 1, group: 0 }] },
        { version: 3, at: 100 * DAY - 5 * MIN, buckets: [{ version: 2, group: 0 }, { version: 1, group: 1 }] },
      ],
    };
    const plan = retentionPlan(base({ state, previousGroups: [3, 3, 0], groups: [4, 3, 0], version: 4 }));
    expect(plan.deleteBuckets).toEqual([{ version: 1, group: 0 }]);
    expect(plan.state.retired.map((r) => r.version)).toEqual([3, 4]);
  });

  it('with no grace period, deletes what the commit replaced at once and never the current buckets', () => {
    const plan = retentionPlan(base({ previousGroups: [1, 1, 1], groups: [2, 1, 2], version: 2, bucketGraceMs: 0 }));
    expect(plan.deleteBuckets).toEqual([{ version: 1, group: 0 }, { version: 1, group: 2 }]);
    expect(plan.state.retired).toEqual([]);
  });

  it('a repeated commit of the same version retires nothing twice; an unchanged evaluation retires nothing', () => {
    const once = retentionPlan(base({ previousGroups: [1, 0, 0], groups: [2, 0, 0], version: 2 }));
    const again = retentionPlan(base({ state: once.state, previousGroups: [1, 0, 0], groups: [2, 0, 0], version: 2 }));
    expect(again.state.retired).toEqual(once.state.retired);
    const unchanged = retentionPlan(base({ state: once.state, previousGroups: [2, 0, 0], groups: [2, 0, 0], version: 2, changed: false, now: 100 * DAY + MIN }));
    expect(unchanged.state.retired).toEqual(once.state.retired);
  });
});

describe('retentionPlan: change events', () => {
  it('marks a committed version at most once per thirtieth of the window', () => {
    let state = empty;
    const commit = (version: number, now: number) => (state = retentionPlan(base({ state, version, now })).state);
    commit(1, 0);
    commit(2, 0.5 * DAY); // within a day of the last mark (30 days / 30)
    commit(3, 1.5 * DAY);
    expect(state.marks).toEqual([{ version: 1, at: 0 }, { version: 3, at: 1.5 * DAY }]);
  });

  it('deletes the changes of versions committed before the window, never the current version', () => {
    const state: RetentionState = { ...empty, marks: [{ version: 3, at: 60 * DAY }, { version: 7, at: 65 * DAY }, { version: 9, at: 80 * DAY }] };
    // Now 100 days: the window starts at day 70, so versions up to 7 are older than it.
    const plan = retentionPlan(base({ state, version: 10, changed: true }));
    expect(plan.deleteChanges).toEqual({ from: 1, to: 7 });
    expect(plan.state.changesPrunedThrough).toBe(7);
    expect(plan.state.marks).toEqual([{ version: 9, at: 80 * DAY }, { version: 10, at: 100 * DAY }]);
    // Nothing more until the window moves past version 9's mark.
    expect(retentionPlan(base({ state: plan.state, version: 10, changed: false, now: 101 * DAY })).deleteChanges).toBeNull();
    expect(retentionPlan(base({ state: plan.state, version: 10, changed: false, now: 111 * DAY })).deleteChanges).toEqual({ from: 8, to: 9 });
  });

  it('keeps the current version when it is the only one older than the window', () => {
    const state: RetentionState = { ...empty, marks: [{ version: 4, at: 10 * DAY }], changesPrunedThrough: 3 };
    const plan = retentionPlan(base({ state, version: 4, changed: false }));
    expect(plan.deleteChanges).toBeNull();
    expect(plan.state.marks).toEqual([{ version: 4, at: 10 * DAY }]);
  });

  it('deletes at most maxChangeVersions versions per commit and goes on at the next', () => {
    const state: RetentionState = { ...empty, marks: [{ version: 250, at: 10 * DAY }] };
    const first = retentionPlan(base({ state, version: 251, changed: false }));
    expect(first.deleteChanges).toEqual({ from: 1, to: 100 });
    expect(first.state.marks).toEqual([{ version: 250, at: 10 * DAY }]);
    const second = retentionPlan(base({ state: first.state, version: 251, changed: false }));
    expect(second.deleteChanges).toEqual({ from: 101, to: 200 });
    const third = retentionPlan(base({ state: second.state, version: 251, changed: false }));
    expect(third.deleteChanges).toEqual({ from: 201, to: 250 });
    expect(third.state).toEqual({ retired: [], marks: [], changesPrunedThrough: 250 });
  });

  it('with a zero window, keeps only the current version’s changes', () => {
    let state = empty;
    const plans = [1, 2, 3].map((version) => {
      const plan = retentionPlan(base({ state, version, changesRetentionMs: 0 }));
      state = plan.state;
      return plan.deleteChanges;
    });
    expect(plans).toEqual([null, { from: 1, to: 1 }, { from: 2, to: 2 }]);
  });
});
