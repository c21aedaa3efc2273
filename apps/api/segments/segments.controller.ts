import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Actor } from '../../../libs/domain/access';
import { segmentFromPredictionSchema, SEGMENT_EXAMPLES } from '../../../libs/segments';
import { CurrentActor } from '../access/actor.decorator';
import { CONFIGURERS, READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { SegmentsService } from './segments.service';
import {
  changesPageSchema,
  evaluationStartedSchema,
  membersPageSchema,
  previewBodySchema,
  previewSchema,
  segmentBodySchema,
  segmentChangedSchema,
  segmentDeletedSchema,
  segmentSchema,
} from './segments.responses';

const idParam = z.string().regex(/^s_[0-9a-f]{12}$/, 'a segment id is s_ followed by 12 hex digits');
const membersQuery = z.object({ cursor: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
const changesQuery = z
  .object({ version: z.coerce.number().int().min(1).optional(), after: z.string().min(1).max(256).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();
const bodyDoc = { schema: { ...openApiSchema(segmentBodySchema), example: { name: 'Likely churners, subscribed', definition: SEGMENT_EXAMPLES.likelyChurners } } };

@ApiTags('segments')
@Controller('v1/segments')
export class SegmentsController {
  constructor(@Inject(SegmentsService) private readonly service: SegmentsService) {}

  @Post()
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Create a segment (its definition checked against a whitelist) and start its evaluation' })
  @ApiBody(bodyDoc)
  @ApiAnswers({ status: 201, schema: segmentChangedSchema }, 400, 409, 413)
  create(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.create(parseOr400(segmentBodySchema, raw), actor);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'All segments, with their current membership version and size' })
  @ApiAnswers({ schema: z.array(segmentSchema) })
  list() {
    return this.service.list();
  }

  @Post('preview')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Size estimate and a sample of members of a definition, before saving it' })
  @ApiBody({ schema: openApiSchema(previewBodySchema) })
  @ApiAnswers({ schema: previewSchema }, 400, 413)
  preview(@Body() raw: unknown) {
    const body = parseOr400(previewBodySchema, raw);
    return this.service.preview(body.definition, body.sampleSize);
  }

  @Post('from-prediction')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: "Create a segment from an active prediction's score range, categories or percentile band" })
  @ApiBody({ schema: openApiSchema(segmentFromPredictionSchema) })
  @ApiAnswers({ status: 201, schema: segmentChangedSchema }, 400, 409, 413)
  fromPrediction(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.fromPrediction(parseOr400(segmentFromPredictionSchema, raw), actor);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One segment' })
  @ApiAnswers({ schema: segmentSchema }, 400, 404)
  get(@Param('id') id: string) {
    return this.service.get(parseOr400(idParam, id));
  }

  @Put(':id')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Replace a segment’s name and definition (a new revision); it re-evaluates' })
  @ApiBody(bodyDoc)
  @ApiAnswers({ schema: segmentChangedSchema }, 400, 404, 409, 413)
  update(@Param('id') id: string, @Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.update(parseOr400(idParam, id), parseOr400(segmentBodySchema, raw), actor);
  }

  @Delete(':id')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Delete a segment (refused while another segment reads it); its workflow ends' })
  @ApiAnswers({ schema: segmentDeletedSchema }, 400, 404, 409)
  remove(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.service.delete(parseOr400(idParam, id), actor);
  }

  @Post(':id/evaluate')
  @HttpCode(202)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Re-evaluate now (signals the segment’s workflow, starting it if needed)' })
  @ApiAnswers({ status: 202, schema: evaluationStartedSchema }, 400, 404)
  evaluate(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.service.evaluate(parseOr400(idParam, id), actor);
  }

  @Get(':id/members')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Members of the current version, paged (each flagged if in the control group)' })
  @ApiAnswers({ schema: membersPageSchema }, 400, 404, 409)
  members(@Param('id') id: string, @Query() query: unknown) {
    const q = parseOr400(membersQuery, query);
    return this.service.members(parseOr400(idParam, id), q.cursor, q.limit);
  }

  @Get(':id/changes')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Who entered and who left at a membership version (default: the current one), paged' })
  @ApiAnswers({ schema: changesPageSchema }, 400, 404)
  changes(@Param('id') id: string, @Query() query: unknown) {
    const q = parseOr400(changesQuery, query);
    return this.service.changesOf(parseOr400(idParam, id), q.version, q.after, q.limit);
  }
}
