import { Schema } from 'mongoose';

/**
 * One suppressed value on one suppression list: `_id` = `<listId>:<value>`, where the value is a
 * lower-cased address or `user:<userId>`, so a check is an `_id` lookup.
 */
export interface SuppressionEntryDoc {
  _id: string;
  listId: string;
  value: string;
  addedAt: Date;
}

export const SUPPRESSION_ENTRY_MODEL = 'SuppressionEntry';

export const suppressionEntrySchema = new Schema<SuppressionEntryDoc>(
  {
    _id: { type: String, required: true },
    listId: { type: String, required: true },
    value: { type: String, required: true },
    addedAt: { type: Date, required: true },
  },
  { collection: 'suppression_entries', versionKey: false },
);
suppressionEntrySchema.index({ listId: 1 });
