import { JsonBounds, jsonProblems } from './bounded-json';

const bounds: JsonBounds = { maxDepth: 4, maxArrayLength: 3, maxStringLength: 5, maxKeyLength: 10, maxNodes: 50 };
const fields = (v: unknown) => jsonProblems(v, bounds).map((p) => [p.path.join('.'), p.reason]);

describe('jsonProblems', () => {
  it('accepts plain JSON within the bounds', () => {
    expect(fields({ a: [1, 'x', null], b: { c: true } })).toEqual([]);
    expect(fields('short')).toEqual([]);
  });

  it('refuses every $ key by name, at its path, without walking into it', () => {
    expect(fields({ a: { $where: 'sleep(1)' }, b: [{ $expr: { $gt: 1 } }] })).toEqual([
      ['a.$where', 'operators are not accepted ($where): use the documented condition types'],
      ['b.0.$expr', 'operators are not accepted ($expr): use the documented condition types'],
    ]);
  });

  it('bounds arrays, object sizes, strings and key lengths', () => {
    expect(fields({ a: [1, 2, 3, 4] })).toEqual([['a', 'at most 3 items (got 4)']]);
    expect(fields({ a: { w: 1, x: 1, y: 1, z: 1 } })).toEqual([['a', 'at most 3 fields (got 4)']]);
    expect(fields({ a: 'toolong' })).toEqual([['a', 'at most 5 characters']]);
    expect(fields({ averyveryverylongkey: 1 })).toEqual([['', 'field names are at most 10 characters']]);
  });

  it('bounds depth with one problem at the deepest container allowed', () => {
    expect(fields({ a: { b: { c: { d: 1 } } } })).toEqual([]);
    expect(fields({ a: { b: { c: { d: { e: 1 } } } } })).toEqual([['a.b.c.d', 'nested too deeply (more than 4 levels of objects and arrays)']]);
    // Empty containers at the limit are harmless.
    expect(fields({ a: { b: { c: { d: [] } } } })).toEqual([]);
  });

  it('survives hostile nesting without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(fields(deep)).toEqual([['0.0.0.0', 'nested too deeply (more than 4 levels of objects and arrays)']]);
  });

  it('stops counting at the node limit and caps the number of problems', () => {
    const wide = { a: [[1, 2, 3], [1, 2, 3], [1, 2, 3]], b: [[1, 2, 3], [1, 2, 3], [1, 2, 3]], c: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] };
    expect(fields({ x: wide, y: wide })).toContainEqual(['', 'too large: more than 50 values in all']);
    const many = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`k${i}`, Array.from({ length: 3 }, () => ({ $a: 1, $b: 2, $c: 3 }))]));
    expect(jsonProblems(many, bounds)).toHaveLength(20);
  });

  it('refuses what JSON cannot carry', () => {
    expect(fields({ a: NaN, b: Infinity })).toEqual([
      ['a', 'must be a finite number'],
      ['b', 'must be a finite number'],
    ]);
    expect(fields({ c: () => 1, d: new Date(0), e: undefined })).toEqual([
      ['c', 'must be JSON (null, boolean, number, string, array or object)'],
      ['d', 'must be JSON (null, boolean, number, string, array or object)'],
    ]);
  });

  it('treats a parsed __proto__ key as an ordinary field', () => {
    expect(fields(JSON.parse('{"__proto__": {"$where": "x"}}'))).toEqual([['__proto__.$where', 'operators are not accepted ($where): use the documented condition types']]);
  });
});
