import { eventLoopBreaks } from './event-loop-breaks';

describe('eventLoopBreaks', () => {
  it('lets a timer run during a long pass that awaits it, and not before the period', async () => {
    let fired = 0;
    const timer = setInterval(() => fired++, 1);
    const pause = eventLoopBreaks(10);
    const seenAt: number[] = [];
    const end = Date.now() + 100;
    while (Date.now() < end) {
      const before = fired;
      await pause();
      if (fired > before) seenAt.push(Date.now());
    }
    clearInterval(timer);
    // The timer ran during the pass, about once per period (never between two awaits in a row).
    expect(seenAt.length).toBeGreaterThanOrEqual(3);
    expect(seenAt.length).toBeLessThanOrEqual(11);
  });

  it('resolves at once within the period', async () => {
    let fired = false;
    setImmediate(() => (fired = true));
    await eventLoopBreaks(60_000)();
    expect(fired).toBe(false);
  });
});
