/**
 * Subscriptions are read from events, not attributes: `subscription_start` (a subscription begins and
 * is billed), `subscription_renew` (billed again for the next period) and `subscription_cancel` (it
 * ends). Attributes hold only the current state, so they cannot say whether a user was subscribed at a
 * past cutoff, which training needs for leakage-free labels; events can. A subscription's billing
 * period is the gap between its billings (SUBSCRIPTION_DEFAULT_PERIOD_DAYS before a renewal); it is
 * lapsed when a renewal is more than SUBSCRIPTION_GRACE_DAYS overdue, even without a cancel event
 * (payment failed, not renewed).
 */
export const SUBSCRIPTION_START = 'subscription_start';
export const SUBSCRIPTION_RENEW = 'subscription_renew';
export const SUBSCRIPTION_CANCEL = 'subscription_cancel';
export const SUBSCRIPTION_DEFAULT_PERIOD_DAYS = 30;
export const SUBSCRIPTION_GRACE_DAYS = 3;
