import { randomBytes } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { AuditService } from '../../../libs/access/audit.service';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig, taskQueue } from '../../../libs/config/config';
import { Actor } from '../../../libs/domain/access';
import { ConflictError, NotFoundError } from '../../../libs/domain/errors';
import { CreatePrediction, definitionBodySchema, Prediction, UpdatePrediction } from '../../../libs/domain/prediction';
import { ModelVersionsRepository } from '../../../libs/persistence/model-versions.repository';
import { PredictionDoc } from '../../../libs/persistence/prediction.schema';
import { PredictionsRepository, toPrediction } from '../../../libs/persistence/predictions.repository';
import { ScoreSetsRepository } from '../../../libs/persistence/score-sets.repository';
import { PredictionSchedules, ScheduleChange, ScheduleKind } from '../../../libs/predictions/prediction-schedules';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { deploymentIds } from '../../../libs/temporal/workflow-ids';
import type { rescoreUsers } from '../../../workflows/predictions/rescore-users.workflow';
import { parseOr400 } from '../common/zod-body';

/** An update as the audit log names it: archiving and unarchiving are updates with their own action. */
export type PredictionUpdateAction = 'update' | 'archive' | 'unarchive';

/**
 * Predictions as configuration: every change is written to MongoDB and recorded in the audit log
 * (who, before, after), then its schedules follow.
 */
@Injectable()
export class PredictionsService {
  readonly schedules: PredictionSchedules;

  constructor(
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(ScoreSetsRepository) private readonly scoreSets: ScoreSetsRepository,
    @Inject(TEMPORAL_CLIENT) readonly temporal: Client,
    @Inject(APP_CONFIG) readonly cfg: AppConfig,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.schedules = new PredictionSchedules(temporal, cfg);
  }

  async create(body: CreatePrediction, actor: Actor): Promise<{ prediction: Prediction; schedules: ScheduleChange[] }> {
    const now = new Date();
    const doc: PredictionDoc = {
      _id: `p_${randomBytes(6).toString('hex')}`,
      name: body.name,
      type: body.type,
      definition: body.definition,
      audience: body.audience,
      modelParams: body.modelParams,
      qualityGate: body.qualityGate,
      retrainCadence: body.retrainCadence,
      rescoreCadence: body.rescoreCadence,
      status: body.status,
      archived: false,
      activeModelVersion: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.predictions.create(doc);
    const prediction = toPrediction(doc);
    await this.audit.record(actor, { action: 'prediction.create', resourceType: 'prediction', resourceId: prediction.id, before: null, after: prediction });
    // If Temporal is down the prediction still exists; the reconciler creates its schedules later.
    return { prediction, schedules: await this.syncSchedules(prediction.id) };
  }

  async get(id: string): Promise<Prediction> {
    const doc = await this.predictions.findById(id);
    if (!doc) throw new NotFoundError(`no prediction ${id}`);
    return this.withScoreSet(doc);
  }

  async list(): Promise<Prediction[]> {
    return Promise.all((await this.predictions.list()).map((d) => this.withScoreSet(d)));
  }

  async update(id: string, body: UpdatePrediction, actor: Actor, action: PredictionUpdateAction = 'update'): Promise<{ prediction: Prediction; schedules: ScheduleChange[] }> {
    const before = await this.get(id);
    // The definition's shape depends on the prediction's type, which only the stored prediction knows.
    const change = body.definition ? { ...body, definition: parseOr400(definitionBodySchema(before.type), { definition: body.definition }).definition } : body;
    const doc = await this.predictions.update(id, change as Partial<PredictionDoc>);
    if (!doc) throw new NotFoundError(`no prediction ${id}`);
    const prediction = await this.withScoreSet(doc);
    await this.audit.record(actor, { action: `prediction.${action}`, resourceType: 'prediction', resourceId: id, before, after: prediction });
    return { prediction, schedules: await this.syncSchedules(id) };
  }

  /**
   * Brings a prediction's schedules in step with what is stored now (not with what this request
   * wrote: a concurrent change may have landed since), removing them if it is gone.
   */
  syncSchedules(id: string): Promise<ScheduleChange[]> {
    return this.schedules.syncStored(id, async (pid) => {
      const doc = await this.predictions.findById(pid);
      return doc ? toPrediction(doc) : null;
    });
  }

  /** Deletes the schedules first (so nothing fires for a prediction being removed), then the data. */
  async delete(id: string, actor: Actor): Promise<{ deleted: true; schedules: ScheduleChange[] }> {
    const before = await this.get(id);
    const schedules = await this.schedules.remove(id);
    await this.predictions.delete(id);
    await this.audit.record(actor, { action: 'prediction.delete', resourceType: 'prediction', resourceId: id, before, after: null });
    await this.models.deleteAll(id);
    await this.scoreSets.deleteAll(id);
    // A change racing this delete may have put a schedule back: the stored state (none) wins.
    return { deleted: true, schedules: [...schedules, ...(await this.syncSchedules(id))] };
  }

  async runNow(id: string, kind: ScheduleKind, actor: Actor): Promise<{ triggered: ScheduleKind; scheduleId: string }> {
    const p = await this.get(id);
    if (p.archived) throw new ConflictError(`prediction ${id} is archived: unarchive it to run it`);
    if (kind === 'rescore' && p.activeModelVersion === null) {
      throw new ConflictError(`prediction ${id} has no active model yet: run a retrain first`);
    }
    await this.syncSchedules(id); // a missing schedule is created rather than failing the request
    await this.schedules.trigger(id, kind);
    const run = { triggered: kind, scheduleId: this.schedules.scheduleId(kind, id) };
    await this.audit.record(actor, { action: 'prediction.run', resourceType: 'prediction', resourceId: id, before: null, after: run });
    return run;
  }

  /**
   * The rescore of a prediction with a model version: the one its promotion started, or else the
   * latest scheduled run with that version (found by its ModelVersion search attribute, set once the
   * run has planned). Null when there is none.
   */
  async rescoreRun(predictionId: string, version: number): Promise<WorkflowHandle<typeof rescoreUsers> | null> {
    const promoted = this.temporal.workflow.getHandle<typeof rescoreUsers>(deploymentIds(this.cfg).rescore(predictionId, version));
    try {
      await promoted.describe();
      return promoted;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // Only an opaque ID and an integer reach the query text.
    if (!/^[A-Za-z0-9_-]+$/.test(predictionId)) return null;
    const query =
      `WorkflowType = 'rescoreUsers' AND TaskQueue = '${taskQueue(this.cfg, 'ml')}' AND ` +
      `PredictionId = '${predictionId}' AND ModelVersion = ${Math.trunc(version)}`;
    let latest: { workflowId: string; startTime: Date } | null = null;
    for await (const w of this.temporal.workflow.list({ query })) {
      if (!latest || w.startTime > latest.startTime) latest = w;
    }
    // By workflow ID alone: the handle follows the run's continue-as-new chain to its end.
    return latest ? this.temporal.workflow.getHandle<typeof rescoreUsers>(latest.workflowId) : null;
  }

  private async withScoreSet(doc: PredictionDoc): Promise<Prediction> {
    return toPrediction(doc, (await this.scoreSets.active(doc._id))?.key ?? null);
  }
}
