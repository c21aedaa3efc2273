import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { validateEach } from '../../../libs/domain/bulk-validation';
import { userInputSchema } from '../../../libs/domain/user';
import { UserRecordsRepository } from '../../../libs/persistence/user-records/user-records.repository';
import { bulkEnvelope } from '../common/bulk-request';
import { openApiSchema, parseOr400 } from '../common/zod-body';

const body = bulkEnvelope('users');
const profileQuery = z.object({ events: z.coerce.number().int().min(0).max(500).default(50) }).strict();
const userIdParam = z.string().min(1).max(128);

@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(@Inject(UserRecordsRepository) private readonly records: UserRecordsRepository) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create or update user profiles in bulk',
    description: 'Attributes merge key by key. Invalid items are reported with index, field and reason; the valid rest is stored.',
  })
  @ApiBody({ schema: { type: 'object', properties: { users: { type: 'array', items: openApiSchema(userInputSchema) } } } })
  async upsert(@Body() raw: unknown) {
    const { users } = parseOr400(body, raw) as z.infer<typeof body>;
    const { valid, errors } = validateEach(userInputSchema, users);
    if (valid.length === 0) throw new BadRequestException({ statusCode: 400, message: 'no valid user', accepted: 0, rejected: errors });
    await this.records.appendProfiles(valid.map((v) => v.value));
    return { accepted: valid.length, rejected: errors };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A user profile with its most recent events' })
  @ApiQuery({ name: 'events', required: false, description: 'how many recent events (0-500, default 50)' })
  async profile(@Param('id') id: string, @Query() query: unknown) {
    const userId = parseOr400(userIdParam, id);
    const { events: limit } = parseOr400(profileQuery, query);
    const user = await this.records.read(userId);
    if (!user) throw new NotFoundException({ statusCode: 404, message: `no user with id ${userId}` });
    const { userId: uid, events, createdAt, updatedAt, ...profile } = user;
    return {
      id: uid,
      ...profile,
      createdAt: new Date(createdAt),
      updatedAt: new Date(updatedAt),
      eventCount: events.length,
      recentEvents: (limit ? events.slice(-limit).reverse() : []).map(({ ts, ...e }) => ({ ...e, ts: new Date(ts) })),
    };
  }
}
