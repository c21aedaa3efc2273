import { z } from 'zod';
import { rejectedItemsSchema } from '../common/bulk-request';

export const usersWrittenSchema = z.object({
  /** Valid profile changes, durably stored when the answer comes. */
  accepted: z.number().int(),
  rejected: rejectedItemsSchema,
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const userProfileSchema = z.object({
  id: z.string(),
  email: z.string().optional(),
  timezone: z.string().optional(),
  attributes: z.record(scalar),
  subscription: z.object({ email: z.enum(['subscribed', 'unsubscribed']) }),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
  /** Every event stored for the user, each once. */
  eventCount: z.number().int(),
  recentEvents: z.array(
    z.object({ eventId: z.string(), type: z.string(), ts: z.string().datetime(), amount: z.number().optional(), properties: z.record(scalar).optional() }),
  ),
});
