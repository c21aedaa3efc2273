import { ControlGroupAssignment, ControlGroupSettings, UpdateControlGroup } from '../domain/control-group';
import { FieldError } from '../domain/field-error';
import { unitHash } from './stable-hash';

/**
 * Whether a user is in the control group under an assignment: the salted hash of the id, as a uniform
 * number in [0, 1), is below the percentage. Raising the percentage with the same salt only adds
 * users (nobody leaves the group); a new salt draws an independent group.
 */
export function inControlGroup(userId: string, assignment: ControlGroupAssignment | null): boolean {
  return assignment !== null && assignment.enabled && unitHash(assignment.salt, userId) * 100 < assignment.percentage;
}

/** The assignment in force now; null before the control group was ever set up. */
export function currentControlGroup(settings: ControlGroupSettings | null): ControlGroupAssignment | null {
  return settings?.assignments.at(-1) ?? null;
}

/** The assignment that was in force at a past instant (for reporting); null before the first one. */
export function controlGroupAt(settings: ControlGroupSettings | null, at: Date): ControlGroupAssignment | null {
  const t = at.getTime();
  return settings?.assignments.find((a) => a.from.getTime() <= t && (a.to === null || t < a.to.getTime())) ?? null;
}

export function wasInControlGroup(userId: string, settings: ControlGroupSettings | null, at: Date): boolean {
  return inControlGroup(userId, controlGroupAt(settings, at));
}

export type ControlGroupChange = { ok: true; settings: ControlGroupSettings; changed: boolean } | { ok: false; errors: FieldError[] };

/**
 * Applies an admin's change: the current assignment is closed at `now` and kept, and a new one starts,
 * unless nothing differs. `newSalt` (random, drawn by the caller) is used when the group is first set
 * up or reshuffled.
 */
export function changeControlGroup(settings: ControlGroupSettings | null, change: UpdateControlGroup, ctx: { now: Date; newSalt: string }): ControlGroupChange {
  const current = currentControlGroup(settings);
  const percentage = change.percentage ?? current?.percentage;
  if (percentage === undefined) return { ok: false, errors: [{ field: 'percentage', reason: 'required to set up the control group' }] };
  const salt = current === null || change.reshuffle ? ctx.newSalt : current.salt;
  if (current !== null && change.reshuffle && salt === current.salt) throw new Error('changeControlGroup: a reshuffle needs a new salt');
  if (salt.length === 0) throw new Error('changeControlGroup: the salt must not be empty');
  const enabled = change.enabled ?? current?.enabled ?? true;
  if (current !== null && enabled === current.enabled && percentage === current.percentage && salt === current.salt) {
    return { ok: true, settings: settings!, changed: false };
  }
  if (current !== null && ctx.now.getTime() < current.from.getTime()) throw new Error(`changeControlGroup: now (${ctx.now.toISOString()}) is before the current assignment began`);
  const closed = (settings?.assignments ?? []).map((a) => (a === current ? { ...a, to: ctx.now } : a));
  return { ok: true, changed: true, settings: { assignments: [...closed, { enabled, percentage, salt, from: ctx.now, to: null }] } };
}
