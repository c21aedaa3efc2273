import { Global, Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { SegmentDefinitionsRepository } from '../../libs/persistence/segment-definitions.repository';
import { directlyAffected, SegmentTrigger, StoredSegment } from '../../libs/segments';
import { signalSegment } from '../../libs/temporal/segment-workflows';
import { TEMPORAL_CLIENT } from '../../libs/temporal/temporal-client.module';

/**
 * Tells the segments reading profiles or events that ingestion stored some (the `ingestion` signal),
 * debounced per process: what is stored is only marked dirty; at most once per
 * SEGMENT_INGESTION_DEBOUNCE_SECONDS the dirty marks become one signal to each segment reading them.
 * The first mark after a quiet period flushes at once, the marks during a period wait for its end.
 * The segment workflow coalesces only the signals arriving while it evaluates, and would start an
 * evaluation per signal when idle, so the debounce is here. Signals are plain (no start): a segment
 * deleted meanwhile stays ended. The live segments are read at each flush, not cached: the debounce
 * already bounds that read to one per period, and a cached list would miss a segment created since.
 * Nothing here ever fails the ingestion: errors are logged, and the
 * segment's periodic refresh (SEGMENT_REFRESH_MINUTES) catches up.
 */
@Injectable()
export class SegmentIngestionNotifier implements OnModuleDestroy {
  private readonly log = new Logger(SegmentIngestionNotifier.name);
  private readonly eventTypes = new Set<string>();
  private profiles = false;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = -Infinity;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(SegmentDefinitionsRepository) private readonly definitions: SegmentDefinitionsRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /**
   * Profiles were stored. Any profile field may matter (a new user with defaults can enter a segment
   * on an attribute it does not send), so every segment reading profiles is signalled.
   */
  profilesStored(): void {
    this.profiles = true;
    this.schedule();
  }

  /** Events of these types were stored (call only when some were new: a retry's duplicates change nothing). */
  eventsStored(types: Iterable<string>): void {
    for (const t of types) this.eventTypes.add(t);
    if (this.eventTypes.size > 0) this.schedule();
  }

  onModuleDestroy(): void {
    // What is still dirty is picked up by the segments' periodic refresh.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.cfg.SEGMENT_INGESTION_DEBOUNCE_SECONDS * 1000 - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastFlush = Date.now();
      // One flush at a time, so two never signal the same marks.
      this.flushing = this.flushing.then(() => this.signalDirty());
    }, wait);
    this.timer.unref();
  }

  private async signalDirty(): Promise<void> {
    const triggers: SegmentTrigger[] = [];
    if (this.profiles) triggers.push({ kind: 'profile' });
    if (this.eventTypes.size > 0) triggers.push({ kind: 'events', eventTypes: [...this.eventTypes] });
    this.profiles = false;
    this.eventTypes.clear();
    if (triggers.length === 0) return;
    try {
      const segments = (await this.definitions.live()).map((d): StoredSegment => ({ id: d.segmentId, definition: d.definition! }));
      const ids = [...new Set(triggers.flatMap((t) => directlyAffected(segments, t)))];
      await Promise.all(ids.map((id) => this.signal(id)));
    } catch (err) {
      // The store is down: the marks wait for the next period.
      this.profiles ||= triggers.some((t) => t.kind === 'profile');
      for (const t of triggers) if (t.kind === 'events') t.eventTypes.forEach((e) => this.eventTypes.add(e));
      this.schedule();
      this.log.warn(`could not find the segments to re-evaluate after ingestion: ${(err as Error).message}`);
    }
  }

  private async signal(segmentId: string): Promise<void> {
    try {
      await signalSegment(this.temporal, this.cfg, segmentId, { reason: 'ingestion' });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) this.log.debug(`segment ${segmentId} has no running workflow (deleted meanwhile?): not signalled`);
      else this.log.warn(`could not signal segment ${segmentId} after ingestion: ${(err as Error).message}`);
    }
  }
}

/** The notifier wherever ingestion runs: the API (users, events) and the worker (imports). */
@Global()
@Module({ providers: [SegmentIngestionNotifier], exports: [SegmentIngestionNotifier] })
export class SegmentIngestionModule {}
