import { Typology, TypologyMessage, TypologyUser, typologyMessageSchema, typologySchema } from '../domain/typology';
import { UserFacts, evaluateStaticRules, hasValidAddress } from './static-rules';

const typology: Typology = typologySchema.parse({
  id: 'marketing',
  name: 'Marketing',
  rules: [
    { type: 'quiet_hours', name: 'night', start: '22:00', end: '08:00' },
    { type: 'filtering', name: 'hygiene', excludeSegments: ['vip-holdout'], suppressionLists: ['bounces'] },
    { type: 'fatigue', name: 'tired', predictionId: 'p-unsub', signal: 'unsubscribe_risk', threshold: 80 },
    { type: 'fatigue', name: 'cold', predictionId: 'p-engage', signal: 'low_engagement', threshold: 5 },
  ],
});
const message = (over: Partial<TypologyMessage> = {}) => typologyMessageSchema.parse({ id: 'm1', typologyId: 'marketing', channel: 'email', ...over });
const user: TypologyUser = { id: 'u1', timezone: 'Europe/Paris', addresses: { email: 'ada@example.test' } };
const facts = (over: Partial<UserFacts> = {}): UserFacts => ({ segments: new Set(), suppressionLists: new Set(), scores: new Map(), ...over });
const NOON = Date.parse('2024-06-01T10:00:00Z'); // 12:00 in Paris
const MIDNIGHT = Date.parse('2024-06-01T22:00:00Z'); // 00:00 in Paris

describe('evaluateStaticRules', () => {
  it('passes a plain message at noon', () => {
    expect(evaluateStaticRules(typology, message(), user, facts(), NOON)).toBeNull();
  });

  it.each<[string, TypologyUser, Partial<UserFacts>, string]>([
    ['no address', { id: 'u1' }, {}, 'no email address'],
    ['a malformed address', { id: 'u1', addresses: { email: 'not-an-address' } }, {}, 'invalid email address'],
    ['an unsubscribed user', { ...user, subscriptions: { email: 'unsubscribed' } }, {}, 'unsubscribed from email'],
    ['a suppressed address', user, { suppressionLists: new Set(['bounces']) }, 'on suppression list bounces'],
    ['an excluded segment', user, { segments: new Set(['vip-holdout']) }, 'member of excluded segment vip-holdout'],
  ])('suppresses %s by the filtering rule', (_, who, known, reason) => {
    expect(evaluateStaticRules(typology, message(), who, facts(known), NOON)).toEqual({ outcome: 'suppress', rule: 'hygiene', ruleType: 'filtering', reason });
  });

  it('holds back non-priority messages from users at risk, in either direction of the score', () => {
    const risky = facts({ scores: new Map([['p-unsub', 85]]) });
    expect(evaluateStaticRules(typology, message(), user, risky, NOON)).toMatchObject({ outcome: 'suppress', rule: 'tired', ruleType: 'fatigue' });
    expect(evaluateStaticRules(typology, message({ priority: 1 }), user, risky, NOON)).toBeNull();
    const cold = facts({ scores: new Map([['p-engage', 3]]) });
    expect(evaluateStaticRules(typology, message(), user, cold, NOON)).toMatchObject({ rule: 'cold', reason: 'engagement score 3 <= 5 (prediction p-engage)' });
    expect(evaluateStaticRules(typology, message(), user, facts({ scores: new Map([['p-engage', 6]]) }), NOON)).toBeNull();
  });

  it('defers at night to the end of the window, and suppresses before it defers', () => {
    expect(evaluateStaticRules(typology, message(), user, facts(), MIDNIGHT)).toEqual({
      outcome: 'defer',
      until: Date.parse('2024-06-02T06:00:00Z'),
      rule: 'night',
      ruleType: 'quiet_hours',
      reason: 'quiet hours 22:00-08:00 in Europe/Paris',
    });
    expect(evaluateStaticRules(typology, message(), { id: 'u1', timezone: 'Europe/Paris' }, facts(), MIDNIGHT)).toMatchObject({ outcome: 'suppress' });
  });

  it('lets transactional messages through everything but a missing address', () => {
    const all = facts({ segments: new Set(['vip-holdout']), suppressionLists: new Set(['bounces']), scores: new Map([['p-unsub', 99]]) });
    const unsubscribed = { ...user, subscriptions: { email: 'unsubscribed' as const } };
    expect(evaluateStaticRules(typology, message({ exempt: true }), unsubscribed, all, MIDNIGHT)).toBeNull();
    expect(evaluateStaticRules(typology, message({ exempt: true }), { id: 'u1' }, all, NOON)).toMatchObject({ reason: 'no email address' });
  });

  it('checks addresses per channel', () => {
    expect(hasValidAddress({ id: 'u', addresses: { sms: '+33612345678' } }, 'sms')).toBe(true);
    expect(hasValidAddress({ id: 'u', addresses: { sms: '0612345678' } }, 'sms')).toBe(false);
    expect(hasValidAddress({ id: 'u', addresses: { push: 'token' } }, 'push')).toBe(true);
    expect(hasValidAddress({ id: 'u' }, 'webhook')).toBe(true);
  });
});
