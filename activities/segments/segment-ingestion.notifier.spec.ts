import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { AppConfig } from '../../libs/config/config';
import { SegmentDefinition } from '../../libs/domain/segment-definition';
import { SegmentDefinitionsRepository, SegmentRevisionDoc } from '../../libs/persistence/segment-definitions.repository';
import { SegmentIngestionNotifier } from './segment-ingestion.notifier';

const live: { segmentId: string; definition: SegmentDefinition }[] = [
  { segmentId: 's_gold', definition: { type: 'attributeEquals', attribute: 'plan', value: 'gold' } },
  { segmentId: 's_buyers', definition: { type: 'eventCount', eventType: 'purchase', withinDays: 30, min: 2 } },
  { segmentId: 's_scores', definition: { type: 'predictionScore', predictionId: 'p_x', min: 50, max: 100 } },
  { segmentId: 's_gone', definition: { type: 'eventCount', eventType: 'open', withinDays: 30, min: 1 } },
];

/** The notifier over a fake segment list and a fake Temporal client recording each signal (unit test: no server). */
function notifierWith(debounceSeconds: number) {
  const signals: { workflowId: string; reason: string }[] = [];
  let reads = 0;
  const definitions = { live: async () => (reads++, live as unknown as SegmentRevisionDoc[]) } as unknown as SegmentDefinitionsRepository;
  const client = {
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: async (_name: string, why: { reason: string }) => {
          if (workflowId.endsWith('s_gone')) throw new WorkflowNotFoundError('workflow execution already completed', workflowId, undefined);
          signals.push({ workflowId, reason: why.reason });
        },
      }),
    },
  } as unknown as Client;
  const cfg = { TASK_QUEUE_PREFIX: '', SEGMENT_INGESTION_DEBOUNCE_SECONDS: debounceSeconds } as AppConfig;
  return { notifier: new SegmentIngestionNotifier(definitions, client, cfg), signals, reads: () => reads };
}

const settle = async (ms: number) => {
  await jest.advanceTimersByTimeAsync(ms);
};

describe('SegmentIngestionNotifier', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('signals only the segments reading what was stored, with the ingestion reason', async () => {
    const { notifier, signals } = notifierWith(60);
    notifier.profilesStored();
    await settle(0);
    expect(signals).toEqual([{ workflowId: 'segment/s_gold', reason: 'ingestion' }]);
    signals.length = 0;
    await settle(60_000);
    notifier.eventsStored(['purchase', 'page_view']);
    await settle(0);
    expect(signals).toEqual([{ workflowId: 'segment/s_buyers', reason: 'ingestion' }]);
  });

  it('a stream of ingestion signals each segment at most once per debounce period, the marks meanwhile at its end', async () => {
    const { notifier, signals, reads } = notifierWith(60);
    for (let i = 0; i < 100; i++) {
      notifier.profilesStored();
      notifier.eventsStored(['purchase']);
      await settle(500); // 100 requests over 50 s
    }
    // The first request flushed at once; the 99 after it wait for the end of the period.
    expect(signals.map((s) => s.workflowId).sort()).toEqual(['segment/s_buyers', 'segment/s_gold']);
    expect(reads()).toBe(1);
    await settle(10_000);
    expect(signals).toHaveLength(4);
    // Nothing marked since: nothing more is sent.
    await settle(300_000);
    expect(signals).toHaveLength(4);
    expect(reads()).toBe(2);
  });

  it('a segment that cannot be signalled (deleted, its run ended) fails neither the caller nor the others', async () => {
    const { notifier, signals } = notifierWith(0);
    expect(() => notifier.eventsStored(['open', 'purchase'])).not.toThrow();
    await settle(0);
    expect(signals).toEqual([{ workflowId: 'segment/s_buyers', reason: 'ingestion' }]);
  });
});
