import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { createPredictionSchema, updatePredictionSchema } from '../../../libs/domain/prediction';
import { workflowIds } from '../../../libs/temporal/workflow-ids';
import { rescoreProgressQuery } from '../../../workflows/predictions/rescore-users.workflow';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { PredictionAnalyticsService } from './prediction-analytics.service';
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
    @Inject(PredictionAnalyticsService) private readonly analyticsService: PredictionAnalyticsService,
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
  userScore(@Param('id') id: string, @Param('userId') userId: string) {
    return this.analyticsService.userScore(parseOr400(idParam, id), parseOr400(z.string().min(1).max(128), userId));
  }

  @Get(':id/analytics')
  @ApiOperation({
    summary: 'Quality, score distribution, audience slider table, feature importances, model history and schedule state',
  })
  analytics(@Param('id') id: string) {
    return this.analyticsService.analytics(parseOr400(idParam, id));
  }
}
