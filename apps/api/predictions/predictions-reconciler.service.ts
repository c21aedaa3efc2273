import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { PredictionsRepository, toPrediction } from '../../../libs/persistence/predictions.repository';
import { ScheduleChange } from '../../../libs/temporal/prediction-schedules';
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
 * schedules of predictions that no longer exist (only on this deployment's task queue). Logs and
 * returns what it changed.
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
    for (const d of docs) {
      try {
        report.changes.push(...(await this.service.schedules.sync(toPrediction(d))));
      } catch (err) {
        report.errors.push({ predictionId: d._id, error: (err as Error).message });
      }
    }
    const known = new Set(docs.map((d) => d._id));
    for (const id of await this.service.schedules.listOwnedPredictionIds()) {
      if (!known.has(id)) report.changes.push(...(await this.service.schedules.remove(id)));
    }
    if (report.changes.length || report.errors.length) {
      this.log.log(`reconciled ${docs.length} predictions: ${report.changes.map((c) => `${c.scheduleId} ${c.change}`).join(', ') || 'no changes'}; ${report.errors.length} errors`);
    }
    this.lastReport = report;
    return report;
  }
}
