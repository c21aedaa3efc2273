import { HistoryEvent, UserHistory } from './event';

/** A value an attribute or an event property can hold. */
export type Scalar = string | number | boolean | null;

export type SubscriptionState = 'subscribed' | 'unsubscribed';

/** One stored event as readers see it: what the models use, plus its id and properties. */
export interface TimelineEvent extends HistoryEvent {
  eventId: string;
  properties?: Record<string, Scalar>;
}

/**
 * Everything known about one user, merged from their stored records: the profile (each field the
 * last one written) and every event once (by eventId), oldest first. A UserHistory, so the models
 * take it as it is.
 */
export interface UserTimeline extends UserHistory {
  email?: string;
  subscription: { email: SubscriptionState };
  /** Epoch ms: the profile's own creation date if one was given, else when the user was first seen. */
  createdAt: number;
  /** Epoch ms of the newest record. */
  updatedAt: number;
  events: TimelineEvent[];
}

/** A change to a profile: every field optional, attributes merge key by key. */
export interface ProfilePatch {
  email?: string;
  timezone?: string;
  attributes?: Record<string, Scalar>;
  subscription?: { email: SubscriptionState };
  createdAt?: Date;
}
