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

export const eventInputSchema = z
  .object({
    eventId: z.string().min(1).max(128),
    userId: z.string().min(1).max(128),
    type: z.string().regex(EVENT_TYPE_PATTERN, 'must be lower_snake_case, 1-64 characters'),
    ts: z.coerce.date(),
    amount: z.number().finite().nonnegative().optional(),
    properties: z.record(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.type === 'purchase' && e.amount === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['amount'], message: 'required for purchase events' });
    }
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
