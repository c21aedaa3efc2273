/**
 * For long synchronous passes on the event loop (decoding a partition's records): the returned
 * function resolves at once until `everyMs` of work have passed, then after a turn of the event loop
 * (setImmediate), so heartbeats, timers and other activities' I/O go on. A 50k-user partition is
 * 6-14 s of decoding in one piece on 2 busy cores; past 30 s Temporal would give the activity up.
 */
export function eventLoopBreaks(everyMs = 20): () => Promise<void> {
  let since = Date.now();
  return () => {
    if (Date.now() - since < everyMs) return Promise.resolve();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = Date.now();
        resolve();
      }),
    );
  };
}
