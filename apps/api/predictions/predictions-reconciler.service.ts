import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { PredictionsRepository } from '../../../libs/persistence/predictions.repository';
import { ScheduleChange } from '../../../libs/predictions/prediction-schedules';
import { PredictionsService } from './predictions.service';

export const RECONCILE_EVERY_MS = 5 * 60_000;

export interface ReconcileReport {
  at: Date;
  predictions: number;
  changes: ScheduleChange[];
  errors: { predictionId: string; error: string }[];
}

/**
 * Repairs drift between MongoDB (the truth) and Temporal Schedules: on boot and every five minutes,
 * creates missing schedules, rewrites changed ones, matches pause to the archived flag and deletes
 * schedules of predictions that no longer exist, only those this deployment created (its scope and
 * marker: another deployment sharing the namespace keeps its own). Logs and returns what it changed.
 */
@Injectable()
export class PredictionsReconciler implements OnApplicationBootstrap {
  private readonly log = new Logger('PredictionsReconciler');
  private running: Promise<ReconcileReport> | null = null;
  lastReport: ReconcileReport | null = null;

  constructor(
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(PredictionsService) private readonly service: PredictionsService,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the API serves while Temporal may still be starting; failures are logged.
    void this.reconcile().catch((err) => this.log.warn(`reconcile on boot failed: ${(err as Error).message}`));
  }

  @Interval(RECONCILE_EVERY_MS)
  async tick(): Promise<void> {
    await this.reconcile().catch((err) => this.log.warn(`reconcile failed: ${(err as Error).message}`));
  }

  /** One pass at a time; a call during a pass waits for it. */
  reconcile(): Promise<ReconcileReport> {
    if (!this.running) this.running = this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<ReconcileReport> {
    const docs = await this.predictions.list();
    const report: ReconcileReport = { at: new Date(), predictions: docs.length, changes: [], errors: [] };
    const known = new Set(docs.map((d) => d._id));
    const orphans = [...(await this.service.schedules.listOwnedPredictionIds())].filter((id) => !known.has(id));
    // Each one re-read and synced under the prediction's writer: a change made meanwhile wins.
    for (const id of [...known, ...orphans]) {
      try {
        report.changes.push(...(await this.service.syncSchedules(id)));
      } catch (err) {
        report.errors.push({ predictionId: id, error: (err as Error).message });
      }
    }
    if (report.changes.length || report.errors.length) {
      this.log.log(`reconciled ${docs.length} predictions: ${report.changes.map((c) => `${c.scheduleId} ${c.change}`).join(', ') || 'no changes'}; ${report.errors.length} errors`);
    }
    this.lastReport = report;
    return report;
  }
}
