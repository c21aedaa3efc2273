import { z } from 'zod';
import { isIanaTimezone } from './time-zone';

/**
 * Typologies: named sets of rules (Adobe Campaign's model) that decide, at send time, whether one
 * message may reach one user now. Messages reference a typology by id.
 */
export const CHANNELS = ['email', 'sms', 'push', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Longest rolling window a pressure rule may use: the send ledger keeps a user's reservations this long. */
export const MAX_PRESSURE_WINDOW_HOURS = 31 * 24;
export const MAX_RULES = 20;
const MAX_LIST = 50;

const HOUR_MS = 3_600_000;
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

const ruleName = z.string().regex(ID_PATTERN, 'must be 1-64 characters: lower-case letters, digits, _ or -');
const channel = z.enum(CHANNELS);
const timezone = z.string().max(64).refine(isIanaTimezone, 'must be an IANA time zone such as Europe/Paris');
const timeOfDay = z.string().regex(TIME_OF_DAY, 'must be HH:MM (24-hour)');
const refId = z.string().min(1).max(128);

const windowSchema = z
  .object({
    amount: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    unit: z.enum(['hours', 'days']),
  })
  .strict()
  .refine((w) => windowHours(w) <= MAX_PRESSURE_WINDOW_HOURS, { message: `at most ${MAX_PRESSURE_WINDOW_HOURS / 24} days`, path: ['amount'] });

export const pressureRuleSchema = z
  .object({
    type: z.literal('pressure'),
    name: ruleName,
    /** Most message weight a user may receive in the window (default weight 1 = a message count). */
    maxMessages: z.number().int().min(1).max(1000),
    window: windowSchema,
    /** One channel, or every channel together. */
    channel: z.union([channel, z.literal('all')]).default('all'),
    /** Braze drops a capped message; `defer` moves it to the next moment the window has room. */
    whenCapped: z.enum(['suppress', 'defer']).default('suppress'),
  })
  .strict();

export const capacityRuleSchema = z
  .object({
    type: z.literal('capacity'),
    name: ruleName,
    channel,
    /** Most messages a day across all users (a provider's limit). */
    maxPerDay: z.number().int().min(1).max(100_000_000),
    /** Time zone whose calendar days the limit counts in. */
    timezone: timezone.default('UTC'),
    /** `defer`: to the start of the next day; `drop`: suppressed. */
    excess: z.enum(['defer', 'drop']).default('defer'),
    /** Typologies naming the same pool share one daily counter; by default the channel's. */
    pool: ruleName.optional(),
  })
  .strict();

export const filteringRuleSchema = z
  .object({
    type: z.literal('filtering'),
    name: ruleName,
    excludeSegments: z.array(refId).max(MAX_LIST).default([]),
    excludeUnsubscribed: z.boolean().default(true),
    /** Suppress when the channel's address is missing or malformed (webhooks need none). */
    requireValidAddress: z.boolean().default(true),
    suppressionLists: z.array(ruleName).max(10).default([]),
  })
  .strict();

export const fatigueRuleSchema = z
  .object({
    type: z.literal('fatigue'),
    name: ruleName,
    /** Read from the prediction's active score set (a preview prediction feeds no rule). */
    predictionId: refId,
    /**
     * `unsubscribe_risk`: hold back when the score is at or above the threshold (an unsubscribe
     * prediction); `low_engagement`: when at or below it (an engagement prediction).
     */
    signal: z.enum(['unsubscribe_risk', 'low_engagement']),
    /** Likelihood score, 0-100. */
    threshold: z.number().min(0).max(100),
    /** Messages with at least this priority are never held back. */
    bypassPriority: z.number().int().min(0).max(100).default(1),
  })
  .strict();

export const quietHoursRuleSchema = z
  .object({
    type: z.literal('quiet_hours'),
    name: ruleName,
    /** Local wall-clock times; a window may wrap midnight (22:00-08:00). */
    start: timeOfDay,
    end: timeOfDay,
    channels: z.array(channel).min(1).max(CHANNELS.length).optional(),
    /** For users without a time zone. */
    defaultTimezone: timezone.default('UTC'),
  })
  .strict();

export const typologyRuleSchema = z.discriminatedUnion('type', [
  pressureRuleSchema,
  capacityRuleSchema,
  filteringRuleSchema,
  fatigueRuleSchema,
  quietHoursRuleSchema,
]);

export const typologySchema = z
  .object({
    id: z.string().regex(ID_PATTERN, 'must be 1-64 characters: lower-case letters, digits, _ or -'),
    name: z.string().min(1).max(120),
    description: z.string().max(1000).optional(),
    rules: z.array(typologyRuleSchema).max(MAX_RULES, `at most ${MAX_RULES} rules`),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'name'], message: 'rule names must be unique within a typology' });
      seen.add(r.name);
      // Checked here: discriminatedUnion options must be plain objects, without refinements.
      if (r.type === 'quiet_hours' && r.start === r.end)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'end'], message: 'must differ from start' });
    });
  });

export type Typology = z.infer<typeof typologySchema>;
export type TypologyInput = z.input<typeof typologySchema>;
export type TypologyRule = z.infer<typeof typologyRuleSchema>;
export type PressureRule = z.infer<typeof pressureRuleSchema>;
export type CapacityRule = z.infer<typeof capacityRuleSchema>;
export type FilteringRule = z.infer<typeof filteringRuleSchema>;
export type FatigueRule = z.infer<typeof fatigueRuleSchema>;
export type QuietHoursRule = z.infer<typeof quietHoursRuleSchema>;
export type RuleType = TypologyRule['type'];

export function windowHours(w: { amount: number; unit: 'hours' | 'days' }): number {
  return w.unit === 'days' ? w.amount * 24 : w.amount;
}
export const windowMs = (w: { amount: number; unit: 'hours' | 'days' }): number => windowHours(w) * HOUR_MS;

/** One message about to be sent to one user, as a journey step describes it. */
export const typologyMessageSchema = z
  .object({
    /** Unique per send (e.g. journey step run): deciding twice for the same id and user reserves once. */
    id: z.string().min(1).max(200),
    typologyId: z.string().regex(ID_PATTERN),
    channel,
    /** How much the message counts towards pressure caps. */
    weight: z.number().gt(0).max(100).default(1),
    /** Higher wins a capped slot from a lower one that is not yet confirmed as sent. */
    priority: z.number().int().min(0).max(100).default(0),
    /** Transactional: neither counts nor is capped (pressure, capacity, fatigue, quiet hours). */
    exempt: z.boolean().default(false),
  })
  .strict();
export type TypologyMessage = z.infer<typeof typologyMessageSchema>;

export type SubscriptionState = 'subscribed' | 'unsubscribed';

/** What the rules need to know about the recipient (loaded by the caller). */
export interface TypologyUser {
  id: string;
  /** IANA time zone; absent: the quiet-hours rule's default. */
  timezone?: string;
  /** Address per channel (e-mail address, E.164 phone number, push token). */
  addresses?: Partial<Record<Channel, string>>;
  /** Absent means subscribed. */
  subscriptions?: Partial<Record<Channel, SubscriptionState>>;
}

/** A held slot: confirm it just before sending, release it when the send finally fails. */
export interface ReservationRef {
  userId: string;
  messageId: string;
  typologyId: string;
  channel: Channel;
  weight: number;
  /** Capacity ledgers (pool/day) holding a unit for this message. */
  capacityKeys: string[];
  /** When the units were taken (the deciding call's clock): a release gives back this hold once. */
  heldAt: number;
}

export type DecisionOutcome = 'send' | 'defer' | 'suppress';

export type Decision =
  | { outcome: 'send'; reservation: ReservationRef | null; reason: string }
  | { outcome: 'defer'; until: number; rule: string; ruleType: RuleType; reason: string }
  | { outcome: 'suppress'; rule: string; ruleType: RuleType; reason: string };

/** What confirming a reservation found. */
export type ConfirmResult =
  | { confirmed: true }
  /** A higher-priority message took the slot first: do not send; decide again later. */
  | { confirmed: false; bumpedBy: string | null; decision: Extract<Decision, { outcome: 'defer' }> };

/** One recorded decision: why a user got, or did not get, a message. */
export interface DecisionRecord {
  userId: string;
  messageId: string;
  typologyId: string;
  channel: Channel;
  outcome: DecisionOutcome | 'bumped' | 'released';
  rule: string | null;
  ruleType: RuleType | null;
  reason: string;
  /** Defer: when to decide again (epoch ms). */
  until: number | null;
  /** When the decision was taken (the caller's clock, epoch ms). */
  at: number;
}
