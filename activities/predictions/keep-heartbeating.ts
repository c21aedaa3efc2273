import { heartbeat } from '@temporalio/activity';

/**
 * Heartbeats `details()` every few seconds while `work` runs. Needed around single long awaits: on
 * FerretDB v1 a filtered query answers its first batch only after scanning the whole collection,
 * which can outlast the heartbeat timeout and would make Temporal start a duplicate attempt.
 */
export async function keepHeartbeating<T>(details: () => unknown, work: () => Promise<T>, everyMs = 5000): Promise<T> {
  heartbeat(details());
  const timer = setInterval(() => heartbeat(details()), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
