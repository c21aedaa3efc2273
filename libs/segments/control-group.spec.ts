import { ControlGroupAssignment, ControlGroupSettings, updateControlGroupSchema } from '../domain/control-group';
import { changeControlGroup, controlGroupAt, currentControlGroup, inControlGroup, wasInControlGroup } from './control-group';
import { murmur3 } from './stable-hash';

const assignment = (percentage: number, salt = 'salt-1', enabled = true): ControlGroupAssignment => ({ enabled, percentage, salt, from: new Date(0), to: null });

/** 1M ids of four shapes that real systems use, 250k each. */
const SHAPES: Record<string, (i: number) => string> = {
  sequential: (i) => String(i + 1),
  padded: (i) => `user-${String(i).padStart(7, '0')}`,
  uuid: (i) => {
    const h = [murmur3(`a${i}`), murmur3(`b${i}`), murmur3(`c${i}`), murmur3(`d${i}`)].map((x) => x.toString(16).padStart(8, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  },
  email: (i) => `first.last${i}@example.com`,
};
const PER_SHAPE = 250_000;

describe('inControlGroup', () => {
  it('puts the configured share of 1M ids in the group, whatever the id shape', () => {
    const idsByShape = Object.entries(SHAPES).map(([shape, make]) => ({ shape, ids: Array.from({ length: PER_SHAPE }, (_, i) => make(i)) }));
    for (const percentage of [1, 15]) {
      const p = percentage / 100;
      // 5 standard deviations of a binomial share.
      const tolerance = (n: number) => 5 * Math.sqrt((p * (1 - p)) / n);
      let total = 0;
      for (const { shape, ids } of idsByShape) {
        const inGroup = ids.filter((id) => inControlGroup(id, assignment(percentage))).length;
        expect({ shape, percentage, withinTolerance: Math.abs(inGroup / PER_SHAPE - p) < tolerance(PER_SHAPE) }).toEqual({ shape, percentage, withinTolerance: true });
        total += inGroup;
      }
      expect(Math.abs(total / (4 * PER_SHAPE) - p)).toBeLessThan(tolerance(4 * PER_SHAPE));
    }
  });

  it('is stable, only grows with the percentage, and a new salt draws an independent group', () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => SHAPES.padded(i));
    const group = (a: ControlGroupAssignment) => new Set(ids.filter((id) => inControlGroup(id, a)));
    const five = group(assignment(5));
    const ten = group(assignment(10));
    expect([...five].every((id) => ten.has(id))).toBe(true);
    expect(group(assignment(5))).toEqual(five);
    // Under another salt, membership is independent: the overlap is about 10% x 10% = 1%.
    const other = group(assignment(10, 'salt-2'));
    const overlap = [...ten].filter((id) => other.has(id)).length / ids.length;
    expect(Math.abs(overlap - 0.01)).toBeLessThan(5 * Math.sqrt((0.01 * 0.99) / ids.length));
  });

  it('holds nobody when disabled or never set up', () => {
    expect(inControlGroup('u1', null)).toBe(false);
    const everyone = Array.from({ length: 1000 }, (_, i) => `u${i}`);
    expect(everyone.some((id) => inControlGroup(id, assignment(15, 'x', false)))).toBe(false);
    expect(everyone.some((id) => inControlGroup(id, assignment(15, 'x', true)))).toBe(true);
  });
});

describe('changeControlGroup', () => {
  const t = (day: number) => new Date(Date.UTC(2025, 0, day));
  const apply = (settings: ControlGroupSettings | null, change: unknown, day: number, newSalt = `salt-day-${day}`) => {
    const r = changeControlGroup(settings, updateControlGroupSchema.parse(change), { now: t(day), newSalt });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r;
  };

  it('sets up, changes and reshuffles, keeping every past assignment with its dates', () => {
    const first = apply(null, { percentage: 10 }, 1).settings;
    expect(first).toEqual({ assignments: [{ enabled: true, percentage: 10, salt: 'salt-day-1', from: t(1), to: null }] });
    const wider = apply(first, { percentage: 12 }, 5).settings;
    const shuffled = apply(wider, { reshuffle: true }, 9).settings;
    const off = apply(shuffled, { enabled: false }, 20).settings;
    expect(off.assignments).toEqual([
      { enabled: true, percentage: 10, salt: 'salt-day-1', from: t(1), to: t(5) },
      { enabled: true, percentage: 12, salt: 'salt-day-1', from: t(5), to: t(9) },
      { enabled: true, percentage: 12, salt: 'salt-day-9', from: t(9), to: t(20) },
      { enabled: false, percentage: 12, salt: 'salt-day-9', from: t(20), to: null },
    ]);
    expect(currentControlGroup(off)).toEqual(off.assignments[3]);
  });

  it('answers who was in the group on a past day (reporting)', () => {
    const s = apply(apply(null, { percentage: 10 }, 1).settings, { reshuffle: true }, 10).settings;
    const ids = Array.from({ length: 2000 }, (_, i) => `u${i}`);
    const before = ids.filter((id) => wasInControlGroup(id, s, t(5)));
    const after = ids.filter((id) => wasInControlGroup(id, s, t(15)));
    expect(before).toEqual(ids.filter((id) => inControlGroup(id, s.assignments[0])));
    expect(after).toEqual(ids.filter((id) => inControlGroup(id, s.assignments[1])));
    expect(before).not.toEqual(after);
    expect(controlGroupAt(s, new Date(Date.UTC(2024, 11, 31)))).toBeNull();
    expect(controlGroupAt(s, t(10))).toBe(s.assignments[1]);
  });

  it('records nothing when nothing changes', () => {
    const s = apply(null, { percentage: 10 }, 1).settings;
    expect(apply(s, { percentage: 10, enabled: true }, 3)).toEqual({ ok: true, settings: s, changed: false });
  });

  it('needs a percentage to set up, and a fresh salt to reshuffle', () => {
    expect(changeControlGroup(null, { enabled: true }, { now: t(1), newSalt: 's' })).toEqual({ ok: false, errors: [{ field: 'percentage', reason: 'required to set up the control group' }] });
    const s = apply(null, { percentage: 10 }, 1, 'same').settings;
    expect(() => apply(s, { reshuffle: true }, 2, 'same')).toThrow('a reshuffle needs a new salt');
  });

  it('validates the request: 1-15 percent, known fields only, something to change', () => {
    const fields = (input: unknown) => {
      const r = updateControlGroupSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(fields({ percentage: 0.5 })).toEqual([['percentage', 'must be between 1 and 15 percent']]);
    expect(fields({ percentage: 16 })).toEqual([['percentage', 'must be between 1 and 15 percent']]);
    expect(fields({ percentage: 2.5 })).toEqual([]);
    expect(fields({})).toEqual([['', 'give at least one of enabled, percentage, reshuffle']]);
    expect(fields({ salt: 'mine' })[0][1]).toContain("Unrecognized key(s) in object: 'salt'");
  });
});
