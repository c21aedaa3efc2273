import { z } from 'zod';

/** Event types the product understands natively; any other name is a custom event. */
export const STANDARD_EVENT_TYPES = [
  'purchase',
  'session',
  'email_sent',
  'email_open',
  'email_click',
  'unsubscribe',
] as const;
export type StandardEventType = (typeof STANDARD_EVENT_TYPES)[number];

/** Custom names are lower_snake so they are safe as feature names and Mongo values. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Limits on what one event may carry (bigger payloads are refused, never truncated). */
export const EVENT_LIMITS = {
  properties: 50,
  keyLength: 64,
  stringLength: 1024,
  /** The event as JSON, in characters. */
  eventBytes: 16_384,
  /** Events may be dated this far ahead of the server clock (client clocks drift); later ones are refused. */
  futureMs: 24 * 3_600_000,
} as const;
/** The earliest date an event or a profile may carry: older ones are taken for a unit or typing mistake. */
export const EARLIEST_TIMESTAMP = Date.UTC(1990, 0, 1);

/**
 * Keys a document store reads as operators or paths (`$set`, `a.b`) or that cannot be shown are
 * refused, in the API and in imports alike.
 */
export const PROPERTY_KEY_PATTERN = /^[^$.\u0000-\u001f][^.\u0000-\u001f]*$/;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * A point in time: an ISO-8601 string (a date, or a date-time with its zone: `Z` or an offset) or
 * epoch milliseconds, between 1990-01-01 and 24 hours from now. Nothing else: not null, booleans,
 * numeric strings or 0. (Date objects come from the import parsers, never from JSON.)
 */
export const timestampSchema = z.union([z.string(), z.number(), z.date()], { errorMap: () => ({ message: 'must be an ISO-8601 date-time or epoch milliseconds' }) }).transform((v, ctx) => {
  if (typeof v === 'string' && !ISO_8601.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or date-time with a zone, e.g. 2026-12-06T10:00:00Z' });
    return z.NEVER;
  }
  if (typeof v === 'number' && !Number.isInteger(v)) {
    ctx.addIssue({ code: 'custom', message: 'epoch milliseconds must be a whole number' });
    return z.NEVER;
  }
  const d = v instanceof Date ? v : new Date(v);
  const ms = d.getTime();
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
    return z.NEVER;
  }
  if (ms < EARLIEST_TIMESTAMP || ms > Date.now() + EVENT_LIMITS.futureMs) {
    ctx.addIssue({ code: 'custom', message: 'must be between 1990-01-01 and 24 hours from now' });
    return z.NEVER;
  }
  return d;
});

/** A property value: a string (at most 1024 characters), a number, a boolean or null. */
function isPropertyValue(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= EVENT_LIMITS.stringLength);
}

/** Event properties: at most 50, keys 1-64 characters without a leading `$` or any `.`; each problem named by its key. */
export const eventPropertiesSchema = z
  .record(z.unknown())
  .superRefine((props, ctx) => {
    const keys = Object.keys(props);
    if (keys.length > EVENT_LIMITS.properties) ctx.addIssue({ code: 'custom', message: `at most ${EVENT_LIMITS.properties} properties (got ${keys.length})` });
    for (const k of keys) {
      if (k.length === 0 || k.length > EVENT_LIMITS.keyLength) ctx.addIssue({ code: 'custom', path: [k], message: `keys are 1-${EVENT_LIMITS.keyLength} characters` });
      else if (!PROPERTY_KEY_PATTERN.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'keys may not start with $ nor contain a dot or a control character' });
      if (!isPropertyValue(props[k])) ctx.addIssue({ code: 'custom', path: [k], message: `values are strings (at most ${EVENT_LIMITS.stringLength} characters), numbers, booleans or null` });
    }
  })
  .transform((props) => props as Record<string, string | number | boolean | null>);

export const eventInputSchema = z
  .object({
    eventId: z.string().min(1).max(128),
    userId: z.string().min(1).max(128),
    type: z.string().regex(EVENT_TYPE_PATTERN, 'must be lower_snake_case, 1-64 characters'),
    ts: timestampSchema,
    amount: z.number().finite().nonnegative().optional(),
    properties: eventPropertiesSchema.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.type === 'purchase' && e.amount === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['amount'], message: 'required for purchase events' });
    }
    const size = JSON.stringify(e).length;
    if (size > EVENT_LIMITS.eventBytes) ctx.addIssue({ code: 'custom', path: [], message: `an event is at most ${EVENT_LIMITS.eventBytes} characters as JSON (got ${size})` });
  });
export type EventInput = z.infer<typeof eventInputSchema>;

/** The plain, time-ordered form of one event that the ML library consumes (ts in epoch ms). */
export interface HistoryEvent {
  type: string;
  ts: number;
  amount?: number;
  /** The event's properties, e.g. productId and category of a purchase (recommendations read them). */
  properties?: Record<string, string | number | boolean | null>;
}

/** One user's profile and full event history, events sorted by ts ascending. */
export interface UserHistory {
  userId: string;
  /** IANA timezone, e.g. "Europe/Paris"; absent means UTC. */
  timezone?: string;
  createdAt?: number;
  attributes: Record<string, string | number | boolean | null>;
  events: HistoryEvent[];
}
