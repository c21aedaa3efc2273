import { BoundedIdSet } from './bounded-id-set';

describe('BoundedIdSet', () => {
  it('remembers what it was given', () => {
    const s = new BoundedIdSet(10);
    s.addAll(['a', 'b']);
    expect(s.has('a')).toBe(true);
    expect(s.has('b')).toBe(true);
    expect(s.has('c')).toBe(false);
  });

  it('forgets the oldest generation once full, and never holds more than its capacity', () => {
    const s = new BoundedIdSet(4);
    s.addAll(['1', '2']); // generation 1 full
    s.addAll(['3', '4']); // generation 2; 1 and 2 still remembered
    expect(['1', '2', '3', '4'].every((id) => s.has(id))).toBe(true);
    s.addAll(['5']); // generation 3 starts: generation 1 is dropped
    expect(s.has('1')).toBe(false);
    expect(s.has('2')).toBe(false);
    expect(['3', '4', '5'].every((id) => s.has(id))).toBe(true);
  });

  it('refuses a capacity below 2', () => {
    expect(() => new BoundedIdSet(1)).toThrow(/at least 2/);
  });
});
