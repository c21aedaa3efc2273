import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiKeysService } from '../../../libs/access/api-keys.service';
import { Actor, createApiKeySchema, roleSchema } from '../../../libs/domain/access';
import { CurrentActor } from '../access/actor.decorator';
import { ADMINS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';

const keyIdParam = z.string().regex(/^k_[0-9a-f]{16}$/, 'a key id is k_ followed by 16 hex digits');
const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string().datetime(),
  createdBy: z.string(),
  revokedAt: z.string().datetime().nullable(),
});

@ApiTags('keys')
@Controller('v1/keys')
@Roles(...ADMINS)
export class KeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key with a role; the key itself is in this answer only (only its hash is stored)' })
  @ApiBody({ schema: openApiSchema(createApiKeySchema) })
  @ApiAnswers({ status: 201, schema: z.object({ key: apiKeySchema, token: z.string().describe('send as Authorization: Bearer <token>') }) }, 400, 413)
  create(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.keys.create(parseOr400(createApiKeySchema, raw), actor);
  }

  @Get()
  @ApiOperation({ summary: 'All API keys, revoked ones included (never their secrets)' })
  @ApiAnswers({ schema: z.array(apiKeySchema) })
  list() {
    return this.keys.list();
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key: refused from now on (by other API processes within API_KEY_CACHE_SECONDS)' })
  @ApiAnswers({ schema: apiKeySchema }, 400, 404)
  revoke(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.keys.revoke(parseOr400(keyIdParam, id), actor);
  }
}
