import { Schema } from 'mongoose';

export type SubscriptionState = 'subscribed' | 'unsubscribed';

/** A user profile; `_id` is the client's user id (opaque, never an e-mail address). */
export interface UserDoc {
  _id: string;
  email?: string;
  timezone?: string;
  attributes: Record<string, string | number | boolean | null>;
  subscription: { email: SubscriptionState };
  createdAt: Date;
  updatedAt: Date;
}

export const USER_MODEL = 'User';

export const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String },
    timezone: { type: String },
    attributes: { type: Schema.Types.Mixed, default: {} },
    subscription: { email: { type: String, enum: ['subscribed', 'unsubscribed'], default: 'subscribed' } },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, minimize: false },
);
