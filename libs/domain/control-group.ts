import { z } from 'zod';

/**
 * The global control group: a share of all users, chosen by a stable hash of the user id and a salt,
 * who receive no marketing messages so campaigns can be measured against them. Every change is kept
 * as a closed assignment, so reports can tell who was in the group on any past day.
 */
export const CONTROL_GROUP_MIN_PERCENTAGE = 1;
export const CONTROL_GROUP_MAX_PERCENTAGE = 15;

export interface ControlGroupAssignment {
  enabled: boolean;
  /** Percent of users in the group, 1-15. */
  percentage: number;
  /** Mixed into the hash: a new salt reshuffles who is in the group. */
  salt: string;
  from: Date;
  /** When the next assignment replaced it; null for the current one. */
  to: Date | null;
}

export interface ControlGroupSettings {
  /** Oldest first; the last one is current (to = null). */
  assignments: ControlGroupAssignment[];
}

const percentage = z
  .number()
  .min(CONTROL_GROUP_MIN_PERCENTAGE, `must be between ${CONTROL_GROUP_MIN_PERCENTAGE} and ${CONTROL_GROUP_MAX_PERCENTAGE} percent`)
  .max(CONTROL_GROUP_MAX_PERCENTAGE, `must be between ${CONTROL_GROUP_MIN_PERCENTAGE} and ${CONTROL_GROUP_MAX_PERCENTAGE} percent`);

/** A change asked for by an admin; the salt of a reshuffle is drawn by the caller (randomness is I/O). */
export const updateControlGroupSchema = z
  .object({
    enabled: z.boolean(),
    percentage,
    /** Draw a new salt: a different set of users forms the group from now on. */
    reshuffle: z.boolean(),
  })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, 'give at least one of enabled, percentage, reshuffle');
export type UpdateControlGroup = z.infer<typeof updateControlGroupSchema>;
