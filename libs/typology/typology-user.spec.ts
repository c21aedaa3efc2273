import { toTypologyUser } from './typology-user';

describe('toTypologyUser', () => {
  it('takes the e-mail address and subscription from the profile, phone and push token from attributes', () => {
    expect(
      toTypologyUser({ userId: 'u1', timezone: 'Europe/Paris', email: 'a@b.test', subscription: { email: 'unsubscribed' }, attributes: { phone: '+33600000000', pushToken: 'tok', plan: 'pro' } }),
    ).toEqual({ id: 'u1', timezone: 'Europe/Paris', addresses: { email: 'a@b.test', sms: '+33600000000', push: 'tok' }, subscriptions: { email: 'unsubscribed' } });
  });

  it('leaves out what the profile lacks (no zone: the rules use their default)', () => {
    expect(toTypologyUser({ userId: 'u2', subscription: { email: 'subscribed' }, attributes: { phone: 33 } })).toEqual({ id: 'u2', addresses: {}, subscriptions: { email: 'subscribed' } });
  });
});
