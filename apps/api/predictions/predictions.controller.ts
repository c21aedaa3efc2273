import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { createPredictionSchema, updatePredictionSchema } from '../../../libs/domain/prediction';
import { ModelVersionsRepository } from '../../../libs/persistence/model-versions.repository';
import { ScoreSetsRepository } from '../../../libs/persistence/score-sets.repository';
import { scheduleIds } from '../../../libs/temporal/prediction-schedules';
import { workflowIds } from '../../../libs/temporal/workflow-ids';
import { rescoreProgressQuery } from '../../../workflows/predictions/rescore-users.workflow';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { PredictionsReconciler } from './predictions-reconciler.service';
import { PredictionsService } from './predictions.service';

const idParam = z.string().regex(/^p_[0-9a-f]{12}$/, 'a prediction id is p_ followed by 12 hex digits');
const runBody = z.object({ kind: z.enum(['retrain', 'rescore']) }).strict();

@ApiTags('predictions')
@Controller('v1/predictions')
export class PredictionsController {
  constructor(
    @Inject(PredictionsService) private readonly service: PredictionsService,
    @Inject(PredictionsReconciler) private readonly reconciler: PredictionsReconciler,
    @Inject(ModelVersionsRepository) private readonly models: ModelVersionsRepository,
    @Inject(ScoreSetsRepository) private readonly scoreSets: ScoreSetsRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a prediction (starts as preview) and its retrain/rescore schedules' })
  @ApiBody({ schema: openApiSchema(createPredictionSchema) })
  create(@Body() raw: unknown) {
    return this.service.create(parseOr400(createPredictionSchema, raw));
  }

  @Get()
  @ApiOperation({ summary: 'All predictions' })
  list() {
    return this.service.list();
  }

  @Post('reconcile')
  @HttpCode(200)
  @ApiOperation({ summary: 'Repair drift between predictions and their Temporal schedules now; returns what changed' })
  reconcile() {
    return this.reconciler.reconcile();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One prediction' })
  get(@Param('id') id: string) {
    return this.service.get(parseOr400(idParam, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a prediction (archived: true pauses its schedules); schedules follow' })
  @ApiBody({ schema: openApiSchema(updatePredictionSchema) })
  update(@Param('id') id: string, @Body() raw: unknown) {
    return this.service.update(parseOr400(idParam, id), parseOr400(updatePredictionSchema, raw));
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive: pauses both schedules' })
  archive(@Param('id') id: string) {
    return this.service.update(parseOr400(idParam, id), { archived: true });
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unarchive: resumes both schedules' })
  unarchive(@Param('id') id: string) {
    return this.service.update(parseOr400(idParam, id), { archived: false });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a prediction, its schedules, models and scores' })
  remove(@Param('id') id: string) {
    return this.service.delete(parseOr400(idParam, id));
  }

  @Post(':id/run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run now: triggers the retrain or rescore schedule immediately' })
  @ApiBody({ schema: openApiSchema(runBody) })
  run(@Param('id') id: string, @Body() raw: unknown) {
    return this.service.runNow(parseOr400(idParam, id), parseOr400(runBody, raw).kind);
  }

  @Get(':id/rescores/:version')
  @ApiOperation({ summary: 'Progress of the rescore started for a model version (done/total, users/s, ETA)' })
  async rescoreProgress(@Param('id') id: string, @Param('version') version: string) {
    const pid = parseOr400(idParam, id);
    const v = parseOr400(z.coerce.number().int().min(1), version);
    const handle = this.service.temporal.workflow.getHandle(workflowIds.rescore(pid, v));
    try {
      const { status } = await handle.describe();
      if (status.name === 'COMPLETED') return { status: status.name, ...(await handle.result()) };
      if (status.name === 'RUNNING') return { status: status.name, ...(await handle.query(rescoreProgressQuery)) };
      return { status: status.name };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException({ statusCode: 404, message: `no rescore of ${pid} with v${v}` });
      throw err;
    }
  }

  @Get(':id/scores/:userId')
  @ApiOperation({ summary: "A user's current score, category and percentile rank" })
  async userScore(@Param('id') id: string, @Param('userId') userId: string) {
    const p = await this.service.get(parseOr400(idParam, id));
    const uid = parseOr400(z.string().min(1).max(128), userId);
    const notFound = () => new NotFoundException({ statusCode: 404, message: `no score for user ${uid} in prediction ${p.id}` });
    const snap = await this.scoreSets.active(p.id);
    if (!snap) throw notFound();
    const score = await this.scoreSets.findScore(snap, uid);
    if (!score) throw notFound();
    const below = snap.percentiles ? snap.percentiles.filter((q) => q < score.probability).length : null;
    return {
      predictionId: p.id,
      userId: uid,
      score: score.score,
      probability: score.probability,
      category: score.category,
      percentile: below === null ? null : Math.max(0, below - 1),
      modelVersion: snap.modelVersion,
      scoreSet: snap.key,
      usableInSegments: p.status === 'active' && !p.archived,
    };
  }

  @Get(':id/analytics')
  @ApiOperation({
    summary: 'Quality, score distribution, audience slider table, feature importances, model history and schedule state',
  })
  async analytics(@Param('id') id: string) {
    const p = await this.service.get(parseOr400(idParam, id));
    const [history, snap, retrain, rescore] = await Promise.all([
      this.models.history(p.id),
      this.scoreSets.active(p.id),
      this.service.schedules.describe(p.id, 'retrain'),
      this.service.schedules.describe(p.id, 'rescore'),
    ]);
    const active = history.find((m) => m.version === p.activeModelVersion) ?? null;
    const shown = active ?? history[0] ?? null;
    const audienceAtOrAbove = (cut: number) => (snap?.scoreCounts ? snap.scoreCounts.slice(Math.max(0, Math.ceil(cut))).reduce((s, c) => s + c, 0) : null);
    return {
      prediction: {
        id: p.id,
        name: p.name,
        type: p.type,
        status: p.status,
        archived: p.archived,
        usableInSegments: p.status === 'active' && !p.archived,
        activeModelVersion: p.activeModelVersion,
      },
      quality: shown
        ? {
            modelVersion: shown.version,
            modelStatus: shown.status,
            liftQuality: shown.metrics.liftQuality,
            grade: shown.metrics.grade,
            auc: shown.metrics.auc,
            prAuc: shown.metrics.prAuc,
            logLoss: shown.metrics.logLoss,
            holdout: { users: shown.metrics.holdoutRows, positives: shown.metrics.holdoutPositives },
            calibration: shown.metrics.calibration,
          }
        : null,
      scores: snap
        ? { scoreSet: snap.key, asOf: snap.asOf, users: snap.users, histogram: snap.histogram, categories: snap.categories, rescoreSeconds: snap.seconds, usersPerSecond: snap.usersPerSecond }
        : null,
      // Audience slider: audience size from the current scores, expected precision and recall from the holdout.
      thresholds: shown
        ? shown.thresholds.map((r) => ({
            cut: r.cut,
            audienceSize: audienceAtOrAbove(r.cut),
            audienceShareOnHoldout: r.audienceShare,
            expectedPrecision: r.precision,
            expectedRecall: r.recall,
          }))
        : [],
      topFeatures: shown ? shown.importance.slice(0, 10) : [],
      models: history.map((m) => ({
        version: m.version,
        status: m.status,
        reasons: m.reasons,
        auc: m.metrics.auc,
        liftQuality: m.metrics.liftQuality,
        grade: m.metrics.grade,
        trees: m.trees,
        cutoff: m.cutoff,
        createdAt: m.createdAt,
        decidedAt: m.decidedAt,
        retrainId: m.retrainId,
      })),
      schedules: { retrain, rescore, ids: { retrain: scheduleIds.retrain(p.id), rescore: scheduleIds.rescore(p.id) } },
    };
  }
}
