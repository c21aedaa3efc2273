import { Global, Module } from '@nestjs/common';

export const FAIL_FAST_DATABASE = Symbol('FAIL_FAST_DATABASE');

/**
 * Imported by a process that answers requests (the API): its database calls are never queued while
 * the connection is down and give up after API_MONGODB_TIMEOUT_MS, so a caller gets a quick 503 to
 * retry instead of a 10-20 s wait. Workers keep the patient defaults: an activity rather waits out a
 * short outage than spends its retries.
 */
@Global()
@Module({
  providers: [{ provide: FAIL_FAST_DATABASE, useValue: true }],
  exports: [FAIL_FAST_DATABASE],
})
export class FailFastDatabaseModule {}
