/**
 * A prediction's score sets, one per rescore run. Every run writes only its own set, so two runs
 * of one prediction at once never race on shared state: which set readers use is derived from the
 * sets themselves, and so is when an old one may go. Pure.
 */
export interface ScoreSetState {
  key: string;
  asOf: number;
  state: 'writing' | 'complete';
  createdAt: number;
  completedAt?: number;
}

/** `v<model>@<as-of>`: one per rescore run, so a rescore with the same model never collides with the last. */
export function scoreSetKey(modelVersion: number, asOf: number): string {
  return `v${modelVersion}@${new Date(asOf).toISOString()}`;
}

const newer = (a: ScoreSetState, b: ScoreSetState) => a.asOf > b.asOf || (a.asOf === b.asOf && a.key > b.key);

/** The set readers use: the complete one with the latest as-of time (null before the first completes). */
export function activeScoreSet<S extends ScoreSetState>(sets: readonly S[]): S | null {
  let best: S | null = null;
  for (const s of sets) if (s.state === 'complete' && (best === null || newer(s, best))) best = s;
  return best;
}

/** Sets still being written after this long belong to a run that will not finish (terminated). */
export const ABANDONED_WRITING_MS = 7 * 86_400_000;

/**
 * The sets that can be dropped now: a complete set replaced by a newer one is kept `graceMs` after
 * it stopped being the active one (readers that started on it finish), or dropped at once if a
 * newer set was already complete when it completed (no reader ever used it); a set still being
 * written after ABANDONED_WRITING_MS is dropped.
 */
export function droppableScoreSets<S extends ScoreSetState>(sets: readonly S[], now: number, graceMs: number): S[] {
  const active = activeScoreSet(sets);
  return sets.filter((s) => {
    if (s.state === 'writing') return now - s.createdAt > ABANDONED_WRITING_MS;
    if (s === active) return false;
    const replacedAt = Math.min(...sets.filter((o) => o.state === 'complete' && newer(o, s)).map((o) => o.completedAt ?? o.createdAt));
    if (replacedAt <= (s.completedAt ?? s.createdAt)) return true;
    return now >= replacedAt + graceMs;
  });
}
