import { GroupCommit } from './group-commit';

/** A run that records each batch and settles when the test says so. */
function controlled() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((r) => gates.push(r));
    return items.map((i) => (i < 0 ? new Error(`bad ${i}`) : i * 10));
  };
  return { batches, gates, run };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('sends a lone item at once and groups what arrives while a batch is in flight', async () => {
    const c = controlled();
    const g = new GroupCommit(c.run);
    const first = g.submit(1);
    await tick();
    expect(c.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => g.submit(i));
    await tick();
    expect(c.batches).toHaveLength(1); // waiting for the batch in flight
    c.gates[0]();
    expect(await first).toBe(10);
    await tick();
    expect(c.batches).toEqual([[1], [2, 3, 4]]);
    c.gates[1]();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it('rejects only the callers whose item failed, and every caller of a batch whose run threw', async () => {
    const g = new GroupCommit(async (items: number[]) => items.map((i) => (i < 0 ? new Error(`bad ${i}`) : i)));
    const results = await Promise.allSettled([g.submit(1), g.submit(-2), g.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failing = new GroupCommit(async () => {
      throw new Error('server down');
    });
    await expect(Promise.all([failing.submit(1), failing.submit(2)])).rejects.toThrow('server down');
    // The batcher goes on after a failure.
    expect(await g.submit(5)).toBe(5);
  });

  it('cuts batches at maxBatch', async () => {
    const c = controlled();
    const g = new GroupCommit(c.run, 2);
    const all = [1, 2, 3, 4, 5].map((i) => g.submit(i));
    await tick();
    for (let k = 0; k < 3; k++) {
      c.gates[k]();
      await tick();
    }
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(c.batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
