import { Schema } from 'mongoose';
import { StoredSendTimeProfile } from '../domain/send-time-profile';

/**
 * A user's send-time profile, `_id` = user id. Kept apart from the insert-only user records: it is
 * derived data with one writer (the scheduled optimizeSendTimes run, whose partitions own disjoint
 * users), replaced whole on each run, and read with one `_id` lookup.
 */
export interface SendTimeProfileDoc extends StoredSendTimeProfile {
  _id: string;
}

export const SEND_TIME_PROFILE_MODEL = 'SendTimeProfile';

export const sendTimeProfileSchema = new Schema<SendTimeProfileDoc>(
  {
    _id: { type: String, required: true },
    weekHours: { type: String, required: true },
    bestHour: { type: Number, required: true },
    bestHourByWeekday: { type: [Number], required: true },
    confidence: { type: Number, required: true },
    events: { type: Number, required: true },
    computedAt: { type: Number, required: true },
  },
  { collection: 'send_time_profiles', versionKey: false },
);
