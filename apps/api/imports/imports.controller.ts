import * as path from 'path';
import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { importSpecSchema } from '../../../libs/domain/import-spec';
import { IMPORT_PRESETS } from '../../../libs/ingestion/import-presets';
import { ImportFileError, startImport } from '../../../libs/ingestion/import-starter';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { scopedWorkflowId, workflowIds } from '../../../libs/temporal/workflow-ids';
import { importProgressQuery } from '../../../workflows/ingestion/import-events.workflow';
import { parseOr400 } from '../common/zod-body';

const startBody = z
  .object({
    path: z.string().min(1),
    preset: z.enum(Object.keys(IMPORT_PRESETS) as [string, ...string[]]).optional(),
    spec: importSpecSchema.optional(),
  })
  .strict()
  .refine((b) => (b.preset === undefined) !== (b.spec === undefined), { message: 'give exactly one of preset or spec', path: ['spec'] });

@ApiTags('imports')
@Controller('v1/imports')
export class ImportsController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Import an event file on the server as a durable Temporal workflow',
    description: 'The path must be inside IMPORT_DIR. The same content is never imported twice at once: the workflow ID is its hash.',
  })
  async start(@Body() raw: unknown) {
    const body = parseOr400(startBody, raw);
    const file = path.resolve(this.cfg.IMPORT_DIR, body.path);
    if (path.relative(this.cfg.IMPORT_DIR, file).startsWith('..')) {
      throw new BadRequestException({ statusCode: 400, errors: [{ field: 'path', reason: `must be inside IMPORT_DIR (${this.cfg.IMPORT_DIR})` }] });
    }
    try {
      const { workflowId, importId } = await startImport(this.temporal, this.cfg, file, body.spec ?? IMPORT_PRESETS[body.preset!]);
      return { importId, workflowId, url: this.workflowUrl(workflowId) };
    } catch (err) {
      if (err instanceof ImportFileError) throw new BadRequestException({ statusCode: 400, errors: [{ field: 'path', reason: err.message }] });
      throw err;
    }
  }

  @Get(':importId')
  @ApiOperation({ summary: 'Progress of an import, or its result once done' })
  async progress(@Param('importId') importId: string) {
    const workflowId = scopedWorkflowId(this.cfg, workflowIds.importEvents(parseOr400(z.string().regex(/^[0-9a-f]{24}$/, 'an import id is 24 hex digits'), importId)));
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      const { status } = await handle.describe();
      if (status.name === 'COMPLETED') return { status: status.name, ...(await handle.result()) };
      if (status.name === 'RUNNING') return { status: status.name, ...(await handle.query(importProgressQuery)) };
      return { status: status.name, url: this.workflowUrl(workflowId) };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException({ statusCode: 404, message: `no import ${importId}` });
      throw err;
    }
  }

  private workflowUrl(workflowId: string): string {
    return `${this.cfg.TEMPORAL_UI_URL}/namespaces/${this.cfg.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`;
  }
}
