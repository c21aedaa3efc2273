import { isGrpcServiceError } from '@temporalio/client';

export type Dependency = 'mongodb' | 'temporal';

/** How long a client should wait before retrying a request refused because a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

// By name rather than class: mongoose wraps some of the driver's errors in its own classes.
const MONGO_UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
]);
/** gRPC status codes UNAVAILABLE (14) and DEADLINE_EXCEEDED (4). */
const TEMPORAL_UNREACHABLE = new Set<number>([14, 4]);

function one(err: unknown): Dependency | null {
  if (!(err instanceof Error)) return null;
  if (MONGO_UNREACHABLE.has(err.name)) return 'mongodb';
  // The driver reports a server lost in the middle of a bulk write as a bulk error without write errors.
  const bulk = err as Error & { writeErrors?: unknown[]; err?: unknown };
  if (err.name === 'MongoBulkWriteError' && Array.isArray(bulk.writeErrors) && bulk.writeErrors.length === 0 && bulk.err === undefined) return 'mongodb';
  if (isGrpcServiceError(err) && TEMPORAL_UNREACHABLE.has(err.code)) return 'temporal';
  return null;
}

/** The dependency an error says is unreachable (looking through `cause`), or null for any other error. */
export function unreachableDependency(err: unknown): Dependency | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const found = one(e);
    if (found) return found;
  }
  return null;
}
