import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Actor } from '../../../libs/domain/access';
import { SuppressedValue } from '../../../libs/persistence/suppression-lists.repository';
import { CurrentActor } from '../access/actor.decorator';
import { CONFIGURERS, READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { suppressionAddedSchema, suppressionCheckSchema, suppressionRemovedSchema } from './typologies.responses';
import { TypologiesService } from './typologies.service';

const listIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a list id is 1-64 lower-case letters, digits, _ or -');
const MAX_VALUES = 1000;
const entriesBody = z
  .object({
    userIds: z.array(z.string().min(1).max(128)).max(MAX_VALUES).default([]),
    /** E-mail addresses, phone numbers or push tokens (compared case-insensitively). */
    addresses: z.array(z.string().trim().min(1).max(320)).max(MAX_VALUES).default([]),
  })
  .strict()
  .refine((b) => b.userIds.length + b.addresses.length > 0, { message: 'give userIds or addresses', path: ['userIds'] });
const checkQuery = z
  .object({ userId: z.string().min(1).max(128).optional(), address: z.string().trim().min(1).max(320).optional() })
  .strict()
  .refine((q) => (q.userId === undefined) !== (q.address === undefined), { message: 'give exactly one of userId or address', path: ['userId'] });

const values = (b: z.infer<typeof entriesBody>): SuppressedValue[] => [...b.userIds.map((userId) => ({ userId })), ...b.addresses.map((address) => ({ address }))];

/** Suppression lists the filtering rule names: users or addresses that must never get marketing. */
@ApiTags('typologies')
@Controller('v1/suppression-lists')
export class SuppressionListsController {
  constructor(@Inject(TypologiesService) private readonly service: TypologiesService) {}

  @Post(':id/entries')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Add users or addresses to a suppression list (already listed ones count as not added)' })
  @ApiBody({ schema: openApiSchema(entriesBody) })
  @ApiAnswers({ schema: suppressionAddedSchema }, 400, 413)
  add(@Param('id') id: string, @Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.addSuppressed(parseOr400(listIdParam, id), values(parseOr400(entriesBody, raw)), actor);
  }

  @Post(':id/entries/remove')
  @HttpCode(200)
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Remove users or addresses from a suppression list' })
  @ApiBody({ schema: openApiSchema(entriesBody) })
  @ApiAnswers({ schema: suppressionRemovedSchema }, 400, 413)
  remove(@Param('id') id: string, @Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.removeSuppressed(parseOr400(listIdParam, id), values(parseOr400(entriesBody, raw)), actor);
  }

  @Get(':id/entries')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Whether a user or an address is on the list (?userId= or ?address=)' })
  @ApiAnswers({ schema: suppressionCheckSchema }, 400)
  check(@Param('id') id: string, @Query() query: unknown) {
    const q = parseOr400(checkQuery, query);
    return this.service.isSuppressed(parseOr400(listIdParam, id), q.userId !== undefined ? { userId: q.userId } : { address: q.address! });
  }
}
