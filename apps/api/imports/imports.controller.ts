import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApplicationFailure, Client, WorkflowFailedError, WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { IncomingMessage } from 'http';
import { z } from 'zod';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { ROLES } from '../../../libs/domain/access';
import { NotFoundError, ValidationError } from '../../../libs/domain/errors';
import { ImportSpec, importSpecSchema } from '../../../libs/domain/import-spec';
import { IMPORT_PRESETS } from '../../../libs/ingestion/import-presets';
import { ImportFileError, startImport } from '../../../libs/ingestion/import-starter';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { deploymentIds } from '../../../libs/temporal/workflow-ids';
import { importProgressQuery } from '../../../workflows/ingestion/import-events.workflow';
import { IngestRateLimit } from '../access/rate-limit.decorator';
import { INGESTERS, Roles } from '../access/roles.decorator';
import { BodyLimit } from '../common/body-limit';
import { PayloadTooLargeError } from '../common/http-errors';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { ImportFile, receiveUpload, resolveImportFile } from './import-files';
import { importProgressSchema, importStartedSchema } from './imports.responses';

const presetName = z.enum(Object.keys(IMPORT_PRESETS) as [string, ...string[]]);
const onePreset = (b: { preset?: string; spec?: ImportSpec }) => (b.preset === undefined) !== (b.spec === undefined);
const specOf = (b: { preset?: string; spec?: ImportSpec }): ImportSpec => b.spec ?? IMPORT_PRESETS[b.preset!];

const startBody = z
  .object({ path: z.string().min(1).max(1024), preset: presetName.optional(), spec: importSpecSchema.optional() })
  .strict()
  .refine(onePreset, { message: 'give exactly one of preset or spec', path: ['spec'] });

/** The spec of an upload travels in the query, as JSON text (`format=ndjson` is short for spec {"format":"ndjson"}). */
const uploadQuery = z
  .object({
    preset: presetName.optional(),
    format: z.literal('ndjson').optional(),
    spec: z
      .string()
      .max(8192)
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an import spec as JSON text' });
          return z.NEVER;
        }
      })
      .pipe(importSpecSchema)
      .optional(),
  })
  .strict()
  .refine((q) => [q.preset, q.format, q.spec].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of preset, format or spec', path: ['spec'] })
  .transform(({ format, ...q }) => (format ? { ...q, spec: importSpecSchema.parse({ format }) } : q));

const importIdParam = z.string().regex(/^[0-9a-f]{24}$/, 'an import id is 24 hex digits');

@ApiTags('imports')
@Controller('v1/imports')
export class ImportsController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Post()
  @Roles(...INGESTERS)
  @IngestRateLimit()
  @ApiOperation({
    summary: 'Import an event file on the server as a durable Temporal workflow',
    description:
      'The path is relative to IMPORT_DIR and must stay inside it (links are followed: one pointing out is refused). ' +
      'The same content is never imported twice at once: the workflow ID is its hash.',
  })
  @ApiBody({ schema: openApiSchema(startBody) })
  @ApiAnswers({ status: 201, schema: importStartedSchema }, 400)
  async start(@Body() raw: unknown) {
    const body = parseOr400(startBody, raw);
    return this.startFor(await resolveImportFile(this.cfg.IMPORT_DIR, body.path), specOf(body));
  }

  @Post('upload')
  @Roles(...INGESTERS)
  @IngestRateLimit()
  @BodyLimit('stream')
  @ApiOperation({
    summary: 'Upload an event file (the raw file as the request body) and import it',
    description:
      'The file is stored in IMPORT_DIR/uploads under its content hash, which is also the import id: uploading the same content again ' +
      'attaches to (or repeats, storing nothing twice) the same import. Give the format as preset, format=ndjson or spec (JSON text).',
  })
  @ApiConsumes('application/octet-stream', 'text/csv', 'application/x-ndjson')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'preset', required: false, enum: Object.keys(IMPORT_PRESETS) })
  @ApiQuery({ name: 'format', required: false, enum: ['ndjson'] })
  @ApiQuery({ name: 'spec', required: false, description: 'an import spec as JSON text' })
  @ApiAnswers({ status: 201, schema: importStartedSchema.extend({ bytes: z.number().int() }) }, 400, 413)
  async upload(@Query() query: unknown, @Req() req: IncomingMessage) {
    const spec = specOf(parseOr400(uploadQuery, query));
    const declared = Number(req.headers['content-length']);
    if (declared > this.cfg.IMPORT_UPLOAD_MAX_BYTES) throw new PayloadTooLargeError(`the upload is larger than ${this.cfg.IMPORT_UPLOAD_MAX_BYTES} bytes (IMPORT_UPLOAD_MAX_BYTES)`);
    const file = await receiveUpload(req, this.cfg.IMPORT_DIR, this.cfg.IMPORT_UPLOAD_MAX_BYTES, spec.format);
    return { ...(await this.startFor(file, spec)), bytes: file.bytes };
  }

  @Get(':importId')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Progress of an import, or its result once done' })
  @ApiAnswers({ schema: importProgressSchema }, 400, 404)
  async progress(@Param('importId') importId: string) {
    const workflowId = deploymentIds(this.cfg).importEvents(parseOr400(importIdParam, importId));
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      const { status } = await handle.describe();
      if (status.name === 'COMPLETED') return { status: status.name, ...(await handle.result()) };
      if (status.name === 'RUNNING') return { status: status.name, ...(await handle.query(importProgressQuery)) };
      if (status.name === 'FAILED') return { status: status.name, failure: await failureOf(handle), url: this.workflowUrl(workflowId) };
      return { status: status.name, url: this.workflowUrl(workflowId) };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundError(`no import ${importId}`);
      throw err;
    }
  }

  private async startFor(file: ImportFile, spec: ImportSpec) {
    try {
      const { workflowId, importId } = await startImport(this.temporal, this.cfg, file.real, spec);
      return { importId, workflowId, path: file.relative, url: this.workflowUrl(workflowId) };
    } catch (err) {
      // Its message names the server's absolute path: answer with the relative one.
      if (err instanceof ImportFileError) throw new ValidationError('cannot import the file at path', [{ field: 'path', reason: `${file.relative} is not a readable file` }]);
      throw err;
    }
  }

  private workflowUrl(workflowId: string): string {
    return `${this.cfg.TEMPORAL_UI_URL}/namespaces/${this.cfg.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`;
  }
}

/** Why a failed import failed, in the words and type the workflow failed with (e.g. ImportFileGone). */
async function failureOf(handle: WorkflowHandle): Promise<{ type: string; message: string }> {
  try {
    await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      const cause = err.cause;
      if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'ApplicationFailure', message: cause.message };
      return { type: cause?.name ?? 'Failure', message: cause?.message ?? err.message };
    }
    throw err;
  }
  return { type: 'Unknown', message: 'the import failed' };
}
