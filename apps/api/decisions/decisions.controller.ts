import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { decideSendInputSchema, instantSchema } from '../../../libs/domain/send-decision';
import { CONFIGURERS, READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { confirmResponseSchema, decisionLogSchema, decisionResponseSchema, releasedResponseSchema } from './decisions.responses';
import { DecisionsService } from './decisions.service';

const reservationIdParam = z.string().regex(/^r_[0-9a-f]{24}$/, 'a reservation id is r_ followed by 24 hex digits');
const confirmBody = z.object({ at: instantSchema.optional() }).strict();
const releaseBody = z.object({ at: instantSchema.optional(), reason: z.string().min(1).max(500).optional() }).strict();
const historyQuery = z
  .object({
    userId: z.string().min(1).max(128).optional(),
    messageId: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
  .refine((q) => (q.userId === undefined) !== (q.messageId === undefined), { message: 'give exactly one of userId or messageId', path: ['userId'] });

@ApiTags('decisions')
@Controller('v1/decisions')
export class DecisionsController {
  constructor(@Inject(DecisionsService) private readonly service: DecisionsService) {}

  @Post()
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({
    summary: 'Evaluate a message for a user: send (the slot is reserved), defer until a time, or suppress, naming the rule',
    description: 'Deciding again for the same message id and user reserves nothing more. Every decision is recorded (GET /v1/decisions).',
  })
  @ApiBody({ schema: openApiSchema(decideSendInputSchema) })
  @ApiAnswers({ schema: decisionResponseSchema }, 400, 413)
  decide(@Body() raw: unknown) {
    return this.service.decide(parseOr400(decideSendInputSchema, raw));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Confirm a reservation just before sending: from then on no priority message can take it; a slot already taken answers a deferral' })
  @ApiBody({ schema: openApiSchema(confirmBody) })
  @ApiAnswers({ schema: confirmResponseSchema }, 400, 404)
  confirm(@Param('id') id: string, @Body() raw: unknown) {
    return this.service.confirm(parseOr400(reservationIdParam, id), parseOr400(confirmBody, raw ?? {}).at);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Release a reservation whose send finally failed (its slot and capacity unit are free again); safe to repeat' })
  @ApiBody({ schema: openApiSchema(releaseBody) })
  @ApiAnswers({ schema: releasedResponseSchema }, 400, 404)
  release(@Param('id') id: string, @Body() raw: unknown) {
    const body = parseOr400(releaseBody, raw ?? {});
    return this.service.release(parseOr400(reservationIdParam, id), body.at, body.reason);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Why a user got (or did not get) messages: their decisions newest first (?userId=), or one message’s (?messageId=)' })
  @ApiAnswers({ schema: decisionLogSchema }, 400)
  history(@Query() query: unknown) {
    return this.service.history(parseOr400(historyQuery, query));
  }
}
