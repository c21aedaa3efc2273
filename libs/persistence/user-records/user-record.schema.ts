import { Schema } from 'mongoose';
import { UserRecordDoc } from './user-record';

export const USER_RECORD_MODEL = 'UserRecord';

export const userRecordSchema = new Schema<UserRecordDoc>(
  {
    _id: { type: String, required: true },
    u: { type: String, required: true },
    s: { type: Number, required: true },
    g: { type: Number, required: true },
    at: { type: Date, required: true },
    n: { type: Number, required: true },
    b: { type: Buffer, required: true },
  },
  { collection: 'user_records', versionKey: false },
);
// A user's records (per-user reads), a slot group's or a slot's records (population passes):
// equality lookups, which MongoDB and FerretDB on PostgreSQL (GIN) both index.
userRecordSchema.index({ u: 1 });
userRecordSchema.index({ g: 1 });
userRecordSchema.index({ s: 1 });
