import { typologyMessageSchema, typologySchema } from './typology';

const fields = (input: unknown) => {
  const parsed = typologySchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('typologySchema', () => {
  it('fills defaults: all channels, Braze-like suppression when capped, deferral of excess capacity', () => {
    const t = typologySchema.parse({
      id: 'newsletter',
      name: 'Newsletter',
      rules: [
        { type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' } },
        { type: 'capacity', name: 'provider', channel: 'email', maxPerDay: 100 },
        { type: 'filtering', name: 'hygiene' },
      ],
    });
    expect(t.rules[0]).toMatchObject({ channel: 'all', whenCapped: 'suppress' });
    expect(t.rules[1]).toMatchObject({ timezone: 'UTC', excess: 'defer' });
    expect(t.rules[2]).toMatchObject({ excludeUnsubscribed: true, requireValidAddress: true, excludeSegments: [], suppressionLists: [] });
  });

  it('names the field at fault', () => {
    expect(
      fields({
        id: 'Bad Id',
        name: 'x',
        rules: [
          { type: 'pressure', name: 'a', maxMessages: 0, window: { amount: 40, unit: 'days' } },
          { type: 'quiet_hours', name: 'a', start: '22:00', end: '22:00' },
          { type: 'capacity', name: 'c', channel: 'fax', maxPerDay: 1 },
          { type: 'quiet_hours', name: 'q', start: '25:00', end: '08:00', defaultTimezone: 'Mars/Base' },
          { type: 'pressure', name: 'p', maxMessages: 1, window: { amount: 1, unit: 'days' }, $where: 'x' },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: /),
        expect.stringMatching(/^rules\.0\.maxMessages: /),
        'rules.0.window.amount: at most 31 days',
        expect.stringMatching(/^rules\.2\.channel: /),
        expect.stringMatching(/^rules\.3\.start: must be HH:MM/),
        expect.stringMatching(/^rules\.3\.defaultTimezone: must be an IANA/),
        expect.stringMatching(/^rules\.4: Unrecognized key/),
      ]),
    );
  });

  it('refuses duplicate rule names, empty quiet windows, unknown rule types and too many rules', () => {
    const rule = { type: 'filtering', name: 'f' };
    expect(fields({ id: 't', name: 't', rules: [rule, rule] })).toContain('rules.1.name: rule names must be unique within a typology');
    expect(fields({ id: 't', name: 't', rules: [{ type: 'quiet_hours', name: 'q', start: '08:00', end: '08:00' }] })).toContain('rules.0.end: must differ from start');
    expect(fields({ id: 't', name: 't', rules: [{ type: 'mystery', name: 'x' }] })[0]).toMatch(/^rules\.0\.type: /);
    const many = Array.from({ length: 21 }, (_, i) => ({ type: 'filtering', name: `f${i}` }));
    expect(fields({ id: 't', name: 't', rules: many })).toContain('rules: at most 20 rules');
  });

  it('validates messages with defaults: weight 1, priority 0, not exempt', () => {
    expect(typologyMessageSchema.parse({ id: 'm', typologyId: 't', channel: 'push' })).toEqual({ id: 'm', typologyId: 't', channel: 'push', weight: 1, priority: 0, exempt: false });
    expect(typologyMessageSchema.safeParse({ id: 'm', typologyId: 't', channel: 'push', weight: 0 }).success).toBe(false);
  });
});
