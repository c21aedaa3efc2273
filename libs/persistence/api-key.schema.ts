import { Schema } from 'mongoose';
import type { Role } from '../domain/access';

/** An API key: its id (`k_<16 hex>`, embedded in the key itself), role and the SHA-256 of its secret. */
export interface ApiKeyDoc {
  _id: string;
  name: string;
  role: Role;
  secretHash: string;
  createdAt: Date;
  /** Who made it: `<key id> (<name>)`, or `cli` for the key command line. */
  createdBy: string;
  revokedAt: Date | null;
}

export const API_KEY_MODEL = 'ApiKey';

export const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    secretHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_keys', versionKey: false },
);
