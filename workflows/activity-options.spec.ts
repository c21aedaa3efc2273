import { IO_RETRY, NON_RETRYABLE_TYPES, OUTAGE_RIDDEN_OUT_SECONDS } from './activity-options';

const seconds = (d: unknown) => Number(/^(\d+) seconds?$/.exec(String(d))![1]);

describe('IO_RETRY', () => {
  it('waits out an outage of several minutes before giving up', () => {
    let wait = 0;
    let interval = seconds(IO_RETRY.initialInterval);
    for (let attempt = 1; attempt < IO_RETRY.maximumAttempts!; attempt++) {
      wait += Math.min(interval, seconds(IO_RETRY.maximumInterval));
      interval *= IO_RETRY.backoffCoefficient!;
    }
    expect(wait).toBeGreaterThanOrEqual(OUTAGE_RIDDEN_OUT_SECONDS);
    expect(seconds(IO_RETRY.maximumInterval)).toBeLessThanOrEqual(60);
  });

  it('never retries bad input', () => {
    expect(IO_RETRY.nonRetryableErrorTypes).toEqual([...NON_RETRYABLE_TYPES]);
    expect(NON_RETRYABLE_TYPES).toEqual(expect.arrayContaining(['BadImportFile', 'ImportFileGone', 'DegenerateTrainingData', 'PredictionNotFound']));
  });
});
