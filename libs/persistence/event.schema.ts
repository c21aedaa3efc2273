import { Schema } from 'mongoose';

/** One stored event. `_id` is the client's eventId, so a retried request can never double-count. */
export interface EventDoc {
  _id: string;
  userId: string;
  type: string;
  ts: Date;
  amount?: number;
  properties?: Record<string, string | number | boolean | null>;
  receivedAt: Date;
}

export const EVENT_MODEL = 'Event';

export const eventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    type: { type: String, required: true },
    ts: { type: Date, required: true },
    amount: { type: Number },
    properties: { type: Schema.Types.Mixed },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'events', versionKey: false },
);
// Per-user history scans (features, profile) and per-type time scans (send-time, labels).
eventSchema.index({ userId: 1, ts: 1 });
eventSchema.index({ type: 1, ts: 1 });
