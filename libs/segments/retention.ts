/**
 * What a segment's commit deletes (its workflow is the single writer of its buckets, change events and
 * head), as plain data. Buckets are immutable and named by (version, group); change events by version.
 */

/** A stored bucket's name: the version and slot group whose members it holds. */
export interface BucketRef {
  version: number;
  group: number;
}

/** Buckets a commit replaced, kept readable until `at` + the grace period. */
export interface RetiredBuckets {
  /** The version whose commit replaced them (one entry per version: a repeated commit adds nothing). */
  version: number;
  at: number;
  /** Objects, not pairs: FerretDB v1 stores no nested arrays. */
  buckets: BucketRef[];
}

/**
 * "Version `version` was committed at `at`", so every version up to it is at least that old. One mark
 * per MARKS_PER_RETENTION-th of the retention window bounds the list (and keeps changes at most that
 * much longer than the window).
 */
export interface ChangeMark {
  version: number;
  at: number;
}

export const MARKS_PER_RETENTION = 30;

export interface RetentionState {
  retired: RetiredBuckets[];
  marks: ChangeMark[];
  /** Change events of every version up to this one are deleted. */
  changesPrunedThrough: number;
}

export interface RetentionInput {
  state: RetentionState;
  /** Which version held each slot group before the commit, and after it (0: no bucket). */
  previousGroups: readonly number[];
  groups: readonly number[];
  /** The version current after the commit: its changes are always kept. */
  version: number;
  changed: boolean;
  now: number;
  bucketGraceMs: number;
  changesRetentionMs: number;
  /** At most this many versions' changes per commit (the rest at the next ones): a commit stays short. */
  maxChangeVersions: number;
}

export interface RetentionPlan {
  deleteBuckets: BucketRef[];
  /** Delete the change events of versions from..to (inclusive); null: none. */
  deleteChanges: { from: number; to: number } | null;
  /** What the head keeps, to be stored once the deletions are done. */
  state: RetentionState;
}

/**
 * The buckets this commit replaces are retired (readers holding the previous head still read them),
 * retired buckets older than the grace period are deleted, and the change events of versions
 * committed before the retention window (except the current version's) are deleted.
 */
export function retentionPlan(input: RetentionInput): RetentionPlan {
  const { state, now } = input;
  const retired = [...state.retired];
  if (input.changed && !retired.some((r) => r.version === input.version)) {
    const buckets: BucketRef[] = [];
    input.previousGroups.forEach((version, group) => {
      if (version > 0 && input.groups[group] !== version) buckets.push({ version, group });
    });
    if (buckets.length > 0) retired.push({ version: input.version, at: now, buckets });
  }
  const expired = (r: RetiredBuckets) => r.at + input.bucketGraceMs <= now;

  const markEvery = input.changesRetentionMs / MARKS_PER_RETENTION;
  const marks = [...state.marks];
  const last = marks[marks.length - 1];
  if (input.changed && (!last || (last.version < input.version && now - last.at >= markEvery))) marks.push({ version: input.version, at: now });
  const cutoff = now - input.changesRetentionMs;
  const old = marks.filter((m) => m.at <= cutoff);
  const from = state.changesPrunedThrough + 1;
  const through = Math.min(old.length > 0 ? old[old.length - 1].version : 0, input.version - 1, from - 1 + input.maxChangeVersions);
  return {
    deleteBuckets: retired.filter(expired).flatMap((r) => r.buckets),
    deleteChanges: through >= from ? { from, to: through } : null,
    state: {
      retired: retired.filter((r) => !expired(r)),
      // An old mark stays while it covers versions not pruned yet (the current one, or past this commit's cap).
      marks: marks.filter((m) => m.at > cutoff || m.version > through),
      changesPrunedThrough: Math.max(state.changesPrunedThrough, through),
    },
  };
}
