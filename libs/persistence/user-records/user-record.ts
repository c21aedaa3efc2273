import { createHash } from 'crypto';
import { deflateRawSync, inflateRawSync } from 'zlib';
import type { Binary } from 'mongodb';
import type { EventInput } from '../../domain/event';
import type { ProfilePatch, Scalar } from '../../domain/user-timeline';
import { slotGroup, userSlot } from '../../domain/user-slots';
import { mergeRecords } from './merge-records';

/**
 * One stored record of a user: events and/or a profile change, never updated once written. The
 * body is deflated JSON in one binary field, opaque to the store: FerretDB pays per document and per array
 * element of its type schema, so a user's history costs one small document instead of one per event.
 */
/** Names this record format; bulk loaders compare it with what an existing database was loaded with. */
export const RECORD_FORMAT = 'user-records/3';

export interface UserRecordDoc {
  _id: string;
  /** User id: a user's records are read with one equality lookup. */
  u: string;
  /** Hash slot of the user id (0..USER_SLOTS-1) and its group: population passes read by group or by slot. */
  s: number;
  g: number;
  /** When the record was written (for merged records: the newest of what they merged). */
  at: Date;
  /** Events in the body. */
  n: number;
  b: Binary | Buffer | Uint8Array;
}

/** [eventId, type, ts (epoch ms), amount, properties] */
export type RecordEvent = [string, string, number, number | null, Record<string, Scalar> | null];
/** [field, value, written at (epoch ms)]: `email`, `timezone`, `subscription.email` or `attributes.<name>`. */
export type RecordField = [string, Scalar, number];

export interface RecordBody {
  v: 1;
  e?: RecordEvent[];
  p?: RecordField[];
  /** A creation date given by the client (epoch ms; the earliest wins). */
  c?: number;
  /** When the user was first seen (epoch ms), kept by merged records. */
  f?: number;
}

export interface DecodedRecord {
  id: string;
  at: number;
  body: RecordBody;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** The first byte of a body: deflated JSON. (A body that starts with `{` is plain JSON, as first stored.) */
const DEFLATED_JSON = 0x01;

/**
 * A body as stored: its JSON, deflated. Reads are bound by bytes (FerretDB moves ~35 MB/s of binary,
 * base64 inside PostgreSQL): a year of a user's events is ~4.6 KB of JSON and ~0.8 KB deflated, and
 * inflating it takes ~20-40 µs.
 */
export function encodeBody(body: RecordBody): Buffer {
  return Buffer.concat([Buffer.of(DEFLATED_JSON), deflateRawSync(JSON.stringify(body))]);
}

function bodyJson(bytes: Buffer): string {
  return (bytes[0] === DEFLATED_JSON ? inflateRawSync(bytes.subarray(1)) : bytes).toString('utf8');
}

export function decodeRecord(doc: Pick<UserRecordDoc, '_id' | 'at' | 'b'>): DecodedRecord {
  const b = doc.b as { buffer?: Uint8Array };
  const bytes = b.buffer instanceof Uint8Array ? b.buffer : (doc.b as Uint8Array);
  return { id: doc._id, at: new Date(doc.at).getTime(), body: JSON.parse(bodyJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) as RecordBody };
}

function doc(userId: string, id: string, at: Date, body: RecordBody): UserRecordDoc {
  const s = userSlot(userId);
  return { _id: id, u: userId, s, g: slotGroup(s), at, n: body.e?.length ?? 0, b: encodeBody(body) };
}

/**
 * The record of one user's events from one write. Its id is derived from the event ids, so writing
 * the same events again (a retried request, a re-imported file) collides with the first record
 * and stores nothing twice; overlapping writes are deduplicated by event id when records are merged.
 */
export function eventsRecord(userId: string, events: readonly EventInput[], at: Date): UserRecordDoc {
  const e: RecordEvent[] = events.map((x) => [x.eventId, x.type, x.ts.getTime(), x.amount ?? null, x.properties ?? null]);
  const ids = e.map((x) => x[0]).sort();
  return doc(userId, `${userId}|e|${digest(ids.join('\n'))}`, at, { v: 1, e });
}

/** The record of one profile change; fields it names win over older values of the same field. */
export function profileRecord(userId: string, patch: ProfilePatch, at: Date): UserRecordDoc {
  const t = at.getTime();
  const p: RecordField[] = [];
  if (patch.email !== undefined) p.push(['email', patch.email, t]);
  if (patch.timezone !== undefined) p.push(['timezone', patch.timezone, t]);
  if (patch.subscription !== undefined) p.push(['subscription.email', patch.subscription.email, t]);
  for (const [k, v] of Object.entries(patch.attributes ?? {})) p.push([`attributes.${k}`, v, t]);
  const body: RecordBody = { v: 1, p };
  if (patch.createdAt !== undefined) body.c = patch.createdAt.getTime();
  // The write time is part of the id: setting a value back to what it was earlier is a new change.
  return doc(userId, `${userId}|p|${t}|${digest(JSON.stringify(body))}`, at, body);
}

/** A record standing for several: what merging them gives, under an id derived from that content. */
export function mergedRecord(userId: string, body: RecordBody, at: Date): UserRecordDoc {
  return doc(userId, `${userId}|m|${digest(JSON.stringify(body))}`, at, body);
}

/** A new user's whole history as one record (bulk loads): their profile and their events. */
export function initialRecord(userId: string, profile: ProfilePatch, events: readonly EventInput[], at: Date): UserRecordDoc {
  const { body } = mergeRecords(userId, [decodeRecord(profileRecord(userId, profile, at)), decodeRecord(eventsRecord(userId, events, at))]);
  return mergedRecord(userId, body, at);
}
