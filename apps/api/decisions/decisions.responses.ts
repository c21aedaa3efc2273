import { z } from 'zod';
import { CHANNELS } from '../../../libs/domain/typology';

const RULE_TYPES = ['pressure', 'capacity', 'filtering', 'fatigue', 'quiet_hours'] as const;

export const decisionResponseSchema = z.object({
  outcome: z.enum(['send', 'defer', 'suppress']),
  reason: z.string(),
  /** The rule that deferred or suppressed (null for a send). */
  rule: z.string().nullable(),
  ruleType: z.enum(RULE_TYPES).nullable(),
  /** Defer: when to decide again. */
  until: z.string().datetime().nullable(),
  /** Send: the held slot, to confirm just before sending or release when the send fails (null for exempt messages). */
  reservationId: z.string().nullable(),
});

export const confirmResponseSchema = z.object({
  confirmed: z.boolean(),
  /** The higher-priority message that took the slot first. */
  bumpedBy: z.string().nullable(),
  /** When not confirmed: the deferral to follow. */
  decision: decisionResponseSchema.nullable(),
});

export const releasedResponseSchema = z.object({ reservationId: z.string(), released: z.literal(true) });

export const decisionRecordSchema = z.object({
  userId: z.string(),
  messageId: z.string(),
  typologyId: z.string(),
  channel: z.enum(CHANNELS),
  outcome: z.enum(['send', 'defer', 'suppress', 'bumped', 'released']),
  rule: z.string().nullable(),
  ruleType: z.enum(RULE_TYPES).nullable(),
  reason: z.string(),
  until: z.string().datetime().nullable(),
  at: z.string().datetime(),
});
export const decisionLogSchema = z.object({ decisions: z.array(decisionRecordSchema) });
