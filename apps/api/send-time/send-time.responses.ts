import { z } from 'zod';

export const sendTimeResponseSchema = z.object({
  userId: z.string(),
  timezone: z.string().nullable(),
  /** The best moment within the window asked for, outside the typology's quiet hours. */
  nextBestMoment: z.string().datetime(),
  /** As stored by the last optimizeSendTimes run; null before the user's first run (the moment then only avoids quiet hours). */
  profile: z
    .object({
      bestHour: z.number().int(),
      bestHourByWeekday: z.array(z.number().int()),
      confidence: z.number(),
      events: z.number().int(),
      computedAt: z.string().datetime(),
    })
    .nullable(),
});
