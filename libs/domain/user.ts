import { z } from 'zod';
import { EVENT_LIMITS, timestampSchema } from './event';
import { isIanaTimezone } from './time-zone';

const scalar = z.union([z.string().max(EVENT_LIMITS.stringLength, `strings are at most ${EVENT_LIMITS.stringLength} characters`), z.number().finite(), z.boolean(), z.null()]);
/** Attribute names become segment fields and feature names: keep them simple and safe. */
export const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_ATTRIBUTES = 100;

/** Attributes by name; each bad name is reported under its own path. */
export const attributesSchema = z.record(scalar).superRefine((a, ctx) => {
  const names = Object.keys(a);
  if (names.length > MAX_ATTRIBUTES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_ATTRIBUTES} attributes (got ${names.length})` });
  for (const k of names) {
    if (!ATTRIBUTE_NAME_PATTERN.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'attribute names are a letter then letters, digits or _ (at most 64)' });
  }
});

export const userInputSchema = z
  .object({
    id: z.string().min(1).max(128),
    email: z.string().email().max(254).optional(),
    timezone: z.string().refine(isIanaTimezone, 'must be an IANA time zone such as Europe/Paris').optional(),
    attributes: attributesSchema.optional(),
    subscription: z.object({ email: z.enum(['subscribed', 'unsubscribed']) }).strict().optional(),
    createdAt: timestampSchema.optional(),
  })
  .strict();
export type UserInput = z.infer<typeof userInputSchema>;
