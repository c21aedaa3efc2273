import type { Scalar, SubscriptionState, TimelineEvent, UserTimeline } from '../../domain/user-timeline';
import { DecodedRecord, RecordBody, RecordEvent, RecordField } from './user-record';

export interface MergedUser {
  timeline: UserTimeline;
  /** The same content as one record body (what compaction writes). */
  body: RecordBody;
  /** The newest record's write time (epoch ms). */
  at: number;
}

/**
 * Merges a user's records into what readers see. Records are taken oldest first (by write time,
 * then id, so the result never depends on the order the store returns them): an event id counts
 * once, its first stored version wins; each profile field takes its newest value; the creation
 * date is the earliest given, else when the user was first seen. Pure.
 */
export function mergeRecords(userId: string, records: readonly DecodedRecord[]): MergedUser {
  const ordered = [...records].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const events = new Map<string, RecordEvent>();
  const fields = new Map<string, RecordField>();
  let created: number | undefined;
  let firstSeen = Infinity;
  let at = -Infinity;
  for (const r of ordered) {
    for (const e of r.body.e ?? []) if (!events.has(e[0])) events.set(e[0], e);
    for (const f of r.body.p ?? []) {
      const had = fields.get(f[0]);
      if (!had || f[2] >= had[2]) fields.set(f[0], f);
    }
    if (r.body.c !== undefined) created = created === undefined ? r.body.c : Math.min(created, r.body.c);
    firstSeen = Math.min(firstSeen, r.body.f ?? r.at);
    at = Math.max(at, r.at);
  }
  const e = [...events.values()].sort((a, b) => a[2] - b[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const p = [...fields.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const body: RecordBody = { v: 1, e, p, f: firstSeen };
  if (created !== undefined) body.c = created;

  const attributes: Record<string, Scalar> = {};
  const timeline: UserTimeline = {
    userId,
    attributes,
    subscription: { email: 'subscribed' },
    createdAt: created ?? firstSeen,
    updatedAt: at,
    events: e.map(toEvent),
  };
  for (const [name, value] of p) {
    if (name.startsWith('attributes.')) attributes[name.slice('attributes.'.length)] = value;
    else if (name === 'email' && typeof value === 'string') timeline.email = value;
    else if (name === 'timezone' && typeof value === 'string') timeline.timezone = value;
    else if (name === 'subscription.email') timeline.subscription = { email: value as SubscriptionState };
  }
  return { timeline, body, at };
}

function toEvent([eventId, type, ts, amount, properties]: RecordEvent): TimelineEvent {
  const e: TimelineEvent = { eventId, type, ts };
  if (amount !== null) e.amount = amount;
  if (properties !== null) e.properties = properties;
  return e;
}
