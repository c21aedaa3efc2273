import { Channel, MAX_PRESSURE_WINDOW_HOURS, PressureRule, windowMs } from '../domain/typology';
import { HOUR_MS } from './local-time';

/**
 * One user's send ledger: the messages reserved for them within the longest pressure window, as
 * plain data. Every change is a pure function from one state to the next; the store makes each
 * change atomic by writing the next state as a new version under a unique id (send-ledger store).
 */
export interface UserLedgerState {
  entries: LedgerEntry[];
  /** Recent reservations a higher-priority message took, so their owner learns why at confirmation. */
  bumped: BumpNote[];
}

export interface LedgerEntry {
  /** Message id. */
  m: string;
  c: Channel;
  /** Weight. */
  w: number;
  /** Priority. */
  p: number;
  /** Reserved at (epoch ms). */
  at: number;
  /** Confirmed as being sent: a higher priority can no longer take the slot. */
  ok?: true;
}

export interface BumpNote {
  m: string;
  /** The message that took the slot. */
  by: string;
  at: number;
}

export interface ReserveRequest {
  messageId: string;
  channel: Channel;
  weight: number;
  priority: number;
  now: number;
  /** The pressure rules of the message's typology. */
  rules: readonly PressureRule[];
}

export type ReserveResult =
  | { kind: 'reserved'; bumped: LedgerEntry | null }
  /** The message already holds a slot, reserved at `at` (a retried decision): nothing more is reserved. */
  | { kind: 'already'; at: number }
  /** `nextAllowed`: the first moment the window has room again (Infinity: never, the weight exceeds the cap). */
  | { kind: 'capped'; rule: PressureRule; nextAllowed: number };

export type ConfirmResult = { kind: 'confirmed' } | { kind: 'bumped'; by: string } | { kind: 'missing' };

export interface LedgerChange<S, R> {
  /** The next state, or absent when nothing changes (no write). */
  state?: S;
  result: R;
}

const RETENTION_MS = MAX_PRESSURE_WINDOW_HOURS * HOUR_MS;
const BUMP_NOTE_MS = 7 * 24 * HOUR_MS;

export const EMPTY_USER_LEDGER: UserLedgerState = { entries: [], bumped: [] };

/** Drops what no rule can look at any more, so a state stays small. */
function pruned(state: UserLedgerState | undefined, now: number): UserLedgerState {
  if (!state) return EMPTY_USER_LEDGER;
  return {
    entries: state.entries.filter((e) => e.at > now - RETENTION_MS),
    bumped: state.bumped.filter((b) => b.at > now - BUMP_NOTE_MS),
  };
}

const inScope = (rule: PressureRule, channel: Channel) => rule.channel === 'all' || rule.channel === channel;

/** Weight of the entries a rule counts at `now`: in its channel scope and rolling window (now - W, now]. */
export function pressureUsage(rule: PressureRule, entries: readonly LedgerEntry[], now: number): number {
  const from = now - windowMs(rule.window);
  let used = 0;
  for (const e of entries) if (inScope(rule, e.c) && e.at > from) used += e.w;
  return used;
}

/**
 * The first moment at or after `now` when `weight` more fits under the rule: the oldest counted
 * entries leave the window one by one (an entry reserved at t stops counting at t + W).
 */
export function nextAllowedUnder(rule: PressureRule, entries: readonly LedgerEntry[], weight: number, now: number): number {
  if (weight > rule.maxMessages) return Infinity;
  const W = windowMs(rule.window);
  const counted = entries.filter((e) => inScope(rule, e.c) && e.at > now - W).sort((a, b) => a.at - b.at);
  let used = counted.reduce((sum, e) => sum + e.w, 0);
  let t = now;
  for (const e of counted) {
    if (used + weight <= rule.maxMessages) break;
    used -= e.w;
    t = Math.max(t, e.at + W);
  }
  return t;
}

/**
 * Reserves a slot for a message if every pressure rule in scope has room. When one is full, the
 * message may take the slot of a lower-priority entry that is not confirmed yet (lowest priority
 * first, then the latest), provided that frees enough under every full rule; otherwise it is capped.
 */
export function reserveInUserLedger(current: UserLedgerState | undefined, req: ReserveRequest): LedgerChange<UserLedgerState, ReserveResult> {
  const state = pruned(current, req.now);
  const held = state.entries.find((e) => e.m === req.messageId);
  if (held) return { result: { kind: 'already', at: held.at } };
  const entry: LedgerEntry = { m: req.messageId, c: req.channel, w: req.weight, p: req.priority, at: req.now };
  const rules = req.rules.filter((r) => inScope(r, req.channel));
  const full = rules.filter((r) => pressureUsage(r, state.entries, req.now) + req.weight > r.maxMessages);
  if (full.length === 0) return { state: { ...state, entries: [...state.entries, entry] }, result: { kind: 'reserved', bumped: null } };

  const fitsWithout = (victim: LedgerEntry) => {
    const rest = state.entries.filter((e) => e !== victim);
    return full.every((r) => pressureUsage(r, rest, req.now) + req.weight <= r.maxMessages);
  };
  const victim = state.entries
    .filter((e) => !e.ok && e.p < req.priority && fitsWithout(e))
    .sort((a, b) => a.p - b.p || b.at - a.at)[0];
  if (victim) {
    return {
      state: {
        entries: [...state.entries.filter((e) => e !== victim), entry],
        bumped: [...state.bumped, { m: victim.m, by: req.messageId, at: req.now }],
      },
      result: { kind: 'reserved', bumped: victim },
    };
  }
  // Deferred to when every full rule has room; the rule named is the one that frees up last.
  let rule = full[0];
  let nextAllowed = -Infinity;
  for (const r of full) {
    const t = nextAllowedUnder(r, state.entries, req.weight, req.now);
    if (t > nextAllowed) [rule, nextAllowed] = [r, t];
  }
  return { result: { kind: 'capped', rule, nextAllowed } };
}

/** Marks a reservation as being sent: from now on no priority can take it. */
export function confirmInUserLedger(current: UserLedgerState | undefined, messageId: string, now: number): LedgerChange<UserLedgerState, ConfirmResult> {
  const state = pruned(current, now);
  const entry = state.entries.find((e) => e.m === messageId);
  if (entry) {
    if (entry.ok) return { result: { kind: 'confirmed' } };
    return { state: { ...state, entries: state.entries.map((e) => (e === entry ? { ...e, ok: true as const } : e)) }, result: { kind: 'confirmed' } };
  }
  const note = state.bumped.find((b) => b.m === messageId);
  return { result: note ? { kind: 'bumped', by: note.by } : { kind: 'missing' } };
}

/** Frees a reservation whose send finally failed (or that another rule refused). */
export function releaseInUserLedger(current: UserLedgerState | undefined, messageId: string, now: number): LedgerChange<UserLedgerState, boolean> {
  const state = pruned(current, now);
  if (!state.entries.some((e) => e.m === messageId)) return { result: false };
  return { state: { ...state, entries: state.entries.filter((e) => e.m !== messageId) }, result: true };
}
