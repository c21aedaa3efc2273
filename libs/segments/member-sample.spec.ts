import { MemberSample, mergeSamples } from './member-sample';
import { unitHash } from './stable-hash';

const ids = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
const sampleOf = (list: string[], size = 50, seed = 's') => {
  const s = new MemberSample(size, seed);
  for (const id of list) s.offer(id);
  return s.members();
};

describe('MemberSample', () => {
  it('keeps the k members with the smallest seeded hash, in hash order', () => {
    const expected = [...ids].sort((a, b) => unitHash('s', a) - unitHash('s', b)).slice(0, 50);
    expect(sampleOf(ids)).toEqual(expected);
  });

  it('does not depend on the order members arrive in; another seed gives another sample', () => {
    const shuffled = [...ids].sort((a, b) => unitHash('shuffle', a) - unitHash('shuffle', b));
    expect(sampleOf(shuffled)).toEqual(sampleOf(ids));
    expect(sampleOf(ids, 50, 'other')).not.toEqual(sampleOf(ids));
  });

  it('returns everyone when there are fewer members than k, and nothing for k = 0', () => {
    expect(sampleOf(ids.slice(0, 3)).sort()).toEqual(ids.slice(0, 3));
    expect(sampleOf(ids, 0)).toEqual([]);
    expect(() => new MemberSample(-1, 's')).toThrow('size must be a whole number >= 0');
  });

  it('is uniform: every id is equally likely to be sampled over many seeds', () => {
    const population = ids.slice(0, 100);
    const hits = new Map(population.map((id) => [id, 0]));
    for (let seed = 0; seed < 2000; seed++) for (const id of sampleOf(population, 10, `seed-${seed}`)) hits.set(id, hits.get(id)! + 1);
    // Expected 200 hits each (10 of 100, 2000 times); binomial sd ~13.4: allow 5 sd.
    for (const h of hits.values()) expect(Math.abs(h - 200)).toBeLessThan(67);
  });

  it('merges the samples of partitions into the sample of the whole', () => {
    const parts = [ids.slice(0, 3000), ids.slice(3000, 7000), ids.slice(7000)];
    expect(mergeSamples(parts.map((p) => sampleOf(p)), 50, 's')).toEqual(sampleOf(ids));
  });
});
