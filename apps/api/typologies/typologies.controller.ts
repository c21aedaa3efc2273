import { Body, Controller, Delete, Get, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Actor } from '../../../libs/domain/access';
import { typologySchema } from '../../../libs/domain/typology';
import { CurrentActor } from '../access/actor.decorator';
import { CONFIGURERS, READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { typologyChangedSchema, typologyDeletedSchema, typologyResponseSchema } from './typologies.responses';
import { TypologiesService } from './typologies.service';

export const typologyIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a typology id is 1-64 lower-case letters, digits, _ or -');

@ApiTags('typologies')
@Controller('v1/typologies')
export class TypologiesController {
  constructor(@Inject(TypologiesService) private readonly service: TypologiesService) {}

  @Post()
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Create a typology: named rules (pressure, capacity, filtering, fatigue, quiet hours) that messages reference' })
  @ApiBody({ schema: openApiSchema(typologySchema) })
  @ApiAnswers({ status: 201, schema: typologyChangedSchema }, 400, 409, 413)
  create(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.create(parseOr400(typologySchema, raw), actor);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'All typologies' })
  @ApiAnswers({ schema: z.array(typologyResponseSchema) })
  list() {
    return this.service.list();
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One typology' })
  @ApiAnswers({ schema: typologyResponseSchema }, 400, 404)
  get(@Param('id') id: string) {
    return this.service.get(parseOr400(typologyIdParam, id));
  }

  @Put(':id')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Replace a typology’s definition (deciders use it within 10 s)' })
  @ApiBody({ schema: openApiSchema(typologySchema) })
  @ApiAnswers({ schema: typologyChangedSchema }, 400, 404, 413)
  replace(@Param('id') id: string, @Body() raw: unknown, @CurrentActor() actor: Actor) {
    const typologyId = parseOr400(typologyIdParam, id);
    // The id is the path's; a body that names another is refused on its `id` field.
    const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? { id: typologyId, ...raw } : raw;
    const typology = parseOr400(typologySchema.refine((t) => t.id === typologyId, { path: ['id'], message: `must be the path's id ${typologyId}` }), body);
    return this.service.replace(typology, actor);
  }

  @Delete(':id')
  @Roles(...CONFIGURERS)
  @ApiOperation({ summary: 'Delete a typology (messages that reference it are refused from then on)' })
  @ApiAnswers({ schema: typologyDeletedSchema }, 400, 404)
  remove(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.service.delete(parseOr400(typologyIdParam, id), actor);
  }
}
