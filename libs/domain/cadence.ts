import { z } from 'zod';
import { isIanaTimezone } from './time-zone';

/**
 * How often a prediction retrains or rescores: daily, weekly (on a weekday) or monthly (on a day of
 * the month, 1-28 so every month has it), at a local time of day in an IANA time zone.
 */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const cadenceSchema = z
  .object({
    every: z.enum(['daily', 'weekly', 'monthly']),
    /** Local time of day, HH:MM (24 h). */
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM, e.g. 03:30'),
    dayOfWeek: z.enum(WEEKDAYS).optional(),
    dayOfMonth: z.number().int().min(1, 'must be 1-28').max(28, 'must be 1-28 (every month has it)').optional(),
    timezone: z.string().refine(isIanaTimezone, 'must be an IANA time zone such as Europe/Paris').default('UTC'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.every === 'weekly' && c.dayOfWeek === undefined) ctx.addIssue({ code: 'custom', path: ['dayOfWeek'], message: 'a weekly cadence needs dayOfWeek' });
    if (c.every === 'monthly' && c.dayOfMonth === undefined) ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'a monthly cadence needs dayOfMonth' });
    if (c.every !== 'weekly' && c.dayOfWeek !== undefined) ctx.addIssue({ code: 'custom', path: ['dayOfWeek'], message: `only a weekly cadence takes dayOfWeek (this one is ${c.every})` });
    if (c.every !== 'monthly' && c.dayOfMonth !== undefined) ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: `only a monthly cadence takes dayOfMonth (this one is ${c.every})` });
  });
export type Cadence = z.infer<typeof cadenceSchema>;

/** The subset of Temporal's ScheduleSpec that a cadence produces (plain data, no SDK import). */
export interface CadenceScheduleSpec {
  calendars: {
    hour: number;
    minute: number;
    dayOfWeek?: 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
    dayOfMonth?: number;
    comment: string;
  }[];
  timezone: string;
}

/** The Temporal schedule spec for a cadence: one calendar entry, in the cadence's time zone. */
export function cadenceToScheduleSpec(c: Cadence): CadenceScheduleSpec {
  const [hour, minute] = c.at.split(':').map(Number);
  const entry: CadenceScheduleSpec['calendars'][number] = { hour, minute, comment: describeCadence(c) };
  if (c.every === 'weekly') entry.dayOfWeek = c.dayOfWeek!.toUpperCase() as CadenceScheduleSpec['calendars'][number]['dayOfWeek'];
  if (c.every === 'monthly') entry.dayOfMonth = c.dayOfMonth!;
  return { calendars: [entry], timezone: c.timezone ?? 'UTC' };
}

/** "every Monday at 03:00 (Europe/Paris)" */
export function describeCadence(c: Cadence): string {
  const when =
    c.every === 'daily' ? 'every day' : c.every === 'weekly' ? `every ${c.dayOfWeek![0].toUpperCase()}${c.dayOfWeek!.slice(1)}` : `on day ${c.dayOfMonth} of every month`;
  return `${when} at ${c.at} (${c.timezone ?? 'UTC'})`;
}
