import { Schema } from 'mongoose';
import { CHANNELS, DecisionRecord } from '../domain/typology';

/** One typology decision, insert-only: why a user got, or did not get, a message. */
export interface DecisionDoc extends Omit<DecisionRecord, 'at' | 'until'> {
  _id: string;
  at: Date;
  until: Date | null;
}

export const DECISION_MODEL = 'Decision';

export const decisionSchema = new Schema<DecisionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    messageId: { type: String, required: true },
    typologyId: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    outcome: { type: String, required: true },
    rule: { type: String, default: null },
    ruleType: { type: String, default: null },
    reason: { type: String, required: true },
    until: { type: Date, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'decisions', versionKey: false },
);
// "Why did this user get nothing?" and "what happened to this message?" (equality lookups).
decisionSchema.index({ userId: 1 });
decisionSchema.index({ messageId: 1 });
