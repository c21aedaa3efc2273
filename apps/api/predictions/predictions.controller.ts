import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Actor } from '../../../libs/domain/access';
import { NotFoundError } from '../../../libs/domain/errors';
import { createPredictionSchema, updatePredictionSchema } from '../../../libs/domain/prediction';
import { rescoreProgressQuery } from '../../../workflows/predictions/rescore-users.workflow';
import { CurrentActor } from '../access/actor.decorator';
import { CONFIGURERS, READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { PredictionAnalyticsService } from './prediction-analytics.service';
import { PredictionsReconciler } from './predictions-reconciler.service';
import { PredictionsService } from './predictions.service';
import {
  analyticsSchema,
  predictionChangedSchema,
  predictionDeletedSchema,
  predictionSchema,
  reconcileReportSchema,
  rescoreProgressSchema,
  runTriggeredSchema,
  userScoreSchema,
} from './predictions.responses';

const idParam = z.string().regex(/^p_[0-9a-f]{12}$/, 'a prediction id is p_ followed by 12 hex digits');
const runBody = z.object({ kind: z.enum(['retrain', 'rescore']) }).strict();

@ApiTags('predictions')
@Controller('v1/predictions')
export class PredictionsController {
  constructor(
    @Inject(PredictionsService) private readonly service: PredictionsService,
    @Inject(PredictionsReconciler) private readonly reconciler: PredictionsReconciler,
    @Inject(PredictionAnalyticsService) private readonly analyticsService: PredictionAnalyticsService,
  ) {}

  @Post()
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Create a prediction (starts as preview) and its retrain/rescore schedules' })
  @ApiBody({ schema: openApiSchema(createPredictionSchema) })
  @ApiAnswers({ status: 201, schema: predictionChangedSchema }, 400, 413)
  create(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.create(parseOr400(createPredictionSchema, raw), actor);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'All predictions' })
  @ApiAnswers({ schema: z.array(predictionSchema) })
  list() {
    return this.service.list();
  }

  @Post('reconcile')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Repair drift between predictions and their Temporal schedules now; returns what changed' })
  @ApiAnswers({ schema: reconcileReportSchema })
  reconcile() {
    return this.reconciler.reconcile();
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One prediction' })
  @ApiAnswers({ schema: predictionSchema }, 400, 404)
  get(@Param('id') id: string) {
    return this.service.get(parseOr400(idParam, id));
  }

  @Patch(':id')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Edit a prediction (archived: true pauses its schedules); schedules follow' })
  @ApiBody({ schema: openApiSchema(updatePredictionSchema) })
  @ApiAnswers({ schema: predictionChangedSchema }, 400, 404, 413)
  update(@Param('id') id: string, @Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.update(parseOr400(idParam, id), parseOr400(updatePredictionSchema, raw), actor);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Archive: pauses both schedules' })
  @ApiAnswers({ schema: predictionChangedSchema }, 400, 404)
  archive(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.service.update(parseOr400(idParam, id), { archived: true }, actor, 'archive');
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Unarchive: resumes both schedules' })
  @ApiAnswers({ schema: predictionChangedSchema }, 400, 404)
  unarchive(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.service.update(parseOr400(idParam, id), { archived: false }, actor, 'unarchive');
  }

  @Delete(':id')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Delete a prediction, its schedules, models and scores' })
  @ApiAnswers({ schema: predictionDeletedSchema }, 400, 404)
  remove(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.service.delete(parseOr400(idParam, id), actor);
  }

  @Post(':id/run')
  @HttpCode(202)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Run now: triggers the retrain or rescore schedule immediately' })
  @ApiBody({ schema: openApiSchema(runBody) })
  @ApiAnswers({ status: 202, schema: runTriggeredSchema }, 400, 404, 409)
  run(@Param('id') id: string, @Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.runNow(parseOr400(idParam, id), parseOr400(runBody, raw).kind, actor);
  }

  @Get(':id/rescores/:version')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Progress of the latest rescore with a model version, started by a promotion or a schedule (done/total, users/s, ETA)' })
  @ApiAnswers({ schema: rescoreProgressSchema }, 400, 404)
  async rescoreProgress(@Param('id') id: string, @Param('version') version: string) {
    const pid = parseOr400(idParam, id);
    const v = parseOr400(z.coerce.number().int().min(1), version);
    const handle = await this.service.rescoreRun(pid, v);
    if (!handle) throw new NotFoundError(`no rescore of ${pid} with v${v}`);
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return { status: status.name, ...(await handle.result()) };
    if (status.name === 'RUNNING') return { status: status.name, ...(await handle.query(rescoreProgressQuery)) };
    return { status: status.name };
  }

  @Get(':id/scores/:userId')
  @Roles(...READERS)
  @ApiOperation({ summary: "A user's current score, category and percentile rank, with its top reasons in words (yes/no predictions), lifetime value (clv) or recommended products (recommendation)" })
  @ApiAnswers({ schema: userScoreSchema }, 400, 404)
  userScore(@Param('id') id: string, @Param('userId') userId: string) {
    return this.analyticsService.userScore(parseOr400(idParam, id), parseOr400(z.string().min(1).max(128), userId));
  }

  @Get(':id/analytics')
  @Roles(...READERS)
  @ApiAnswers({ schema: analyticsSchema }, 400, 404)
  @ApiOperation({
    summary: 'Quality, score distribution, audience slider table, feature importances, model history and schedule state',
  })
  analytics(@Param('id') id: string) {
    return this.analyticsService.analytics(parseOr400(idParam, id));
  }
}
