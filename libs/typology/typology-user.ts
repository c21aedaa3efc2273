import type { TypologyUser } from '../domain/typology';
import type { UserTimeline } from '../domain/user-timeline';

/**
 * What the rules see of a stored user. The e-mail address and subscription are profile fields; an
 * SMS number and a push token are read from the attributes `phone` and `pushToken`, the only other
 * addresses the user store carries today.
 */
export function toTypologyUser(user: Pick<UserTimeline, 'userId' | 'timezone' | 'email' | 'subscription' | 'attributes'>): TypologyUser {
  const addresses: TypologyUser['addresses'] = {};
  if (user.email) addresses.email = user.email;
  if (typeof user.attributes.phone === 'string') addresses.sms = user.attributes.phone;
  if (typeof user.attributes.pushToken === 'string') addresses.push = user.attributes.pushToken;
  return {
    id: user.userId,
    ...(user.timezone ? { timezone: user.timezone } : {}),
    addresses,
    subscriptions: { email: user.subscription.email },
  };
}
