import { loadConfig } from '../../libs/config/config';
import { CpuSlots } from './cpu-slots';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('CpuSlots', () => {
  it('runs at most ML_CPU_JOBS steps at once, the rest in arrival order', async () => {
    const slots = new CpuSlots(loadConfig({ ML_CPU_JOBS: '1' }));
    const order: string[] = [];
    const first = deferred();
    const a = slots.run(async () => {
      order.push('a starts');
      await first.promise;
      order.push('a ends');
    });
    const b = slots.run(async () => void order.push('b runs'));
    const c = slots.run(async () => void order.push('c runs'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a starts']);
    first.resolve();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a starts', 'a ends', 'b runs', 'c runs']);
  });

  it('gives up the turn of a step cancelled while waiting, and frees the slot of a step that failed', async () => {
    const slots = new CpuSlots(loadConfig({ ML_CPU_JOBS: '1' }));
    const first = deferred();
    const a = slots.run(() => first.promise.then(() => Promise.reject(new Error('training failed'))));
    const abort = new AbortController();
    let ran = false;
    const b = slots.run(async () => void (ran = true), abort.signal);
    abort.abort(new Error('activity cancelled'));
    await expect(b).rejects.toThrow('activity cancelled');
    first.resolve();
    await expect(a).rejects.toThrow('training failed');
    expect(ran).toBe(false);
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
