import { z } from 'zod';
import { CHANNELS, typologyMessageSchema } from './typology';

/** A moment as callers give it: epoch ms (workflows) or ISO-8601 with a zone (HTTP). */
export const instantSchema = z
  .union([z.number().int().min(0), z.string().datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone, e.g. 2030-03-12T10:00:00Z' })])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

const userIdSchema = z.string().min(1).max(128);

/**
 * Evaluate one message for one user (journeys' decideSend, POST /v1/decisions). The user's profile
 * (time zone, address, subscription) is read from the user store; `at` defaults to the caller's clock.
 */
export const decideSendInputSchema = z
  .object({
    message: typologyMessageSchema,
    userId: userIdSchema,
    at: instantSchema.optional(),
  })
  .strict();
export type DecideSendInput = z.input<typeof decideSendInputSchema>;

/** "The user's next best moment within W hours after T", respecting a typology's quiet hours. */
export const nextSendMomentInputSchema = z
  .object({
    userId: userIdSchema,
    after: instantSchema.optional(),
    withinHours: z.coerce.number().int().min(1).max(7 * 24).default(24),
    /** Whose quiet hours to respect (none: only the profile counts). */
    typologyId: z.string().min(1).max(64).optional(),
    channel: z.enum(CHANNELS).default('email'),
  })
  .strict();
export type NextSendMomentInput = z.input<typeof nextSendMomentInputSchema>;
