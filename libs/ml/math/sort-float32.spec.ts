import { sortFloat32 } from './sort-float32';

describe('sortFloat32', () => {
  it('orders like TypedArray.prototype.sort, zeros, infinities and ties included', () => {
    let s = 12345;
    const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const special = [0, -0, Infinity, -Infinity, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1];
    const values = Float32Array.from({ length: 5000 }, (_, i) => (i < special.length ? special[i] : (next() - 0.5) * 10 ** Math.floor(next() * 8 - 4)));
    for (let i = 0; i < 500; i++) values[5000 - 1 - i] = values[i * 3];
    const expected = values.slice().sort();
    const sorted = sortFloat32(values);
    expect(sorted).toBe(values);
    expect(Array.from(sorted, (v) => Object.is(v, -0) ? '-0' : String(v))).toEqual(Array.from(expected, (v) => Object.is(v, -0) ? '-0' : String(v)));
  });

  it('keeps an empty or one-value array as it is', () => {
    expect(Array.from(sortFloat32(new Float32Array(0)))).toEqual([]);
    expect(Array.from(sortFloat32(Float32Array.of(-2.5)))).toEqual([-2.5]);
  });
});
