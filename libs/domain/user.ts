import { z } from 'zod';

const scalar = z.union([z.string().max(1024), z.number().finite(), z.boolean(), z.null()]);
/** Attribute names become segment fields and feature names: keep them simple and safe. */
export const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function isIanaTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const userInputSchema = z
  .object({
    id: z.string().min(1).max(128),
    email: z.string().email().optional(),
    timezone: z.string().refine(isIanaTimezone, 'must be an IANA time zone such as Europe/Paris').optional(),
    attributes: z
      .record(scalar)
      .refine((a) => Object.keys(a).every((k) => ATTRIBUTE_NAME_PATTERN.test(k)), 'attribute names must match ' + ATTRIBUTE_NAME_PATTERN)
      .optional(),
    subscription: z.object({ email: z.enum(['subscribed', 'unsubscribed']) }).strict().optional(),
    createdAt: z.coerce.date().optional(),
  })
  .strict();
export type UserInput = z.infer<typeof userInputSchema>;
