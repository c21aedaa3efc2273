import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { validateEach } from '../../../libs/domain/bulk-validation';
import { NotFoundError } from '../../../libs/domain/errors';
import { SegmentIngestionNotifier } from '../../../activities/segments/segment-ingestion.notifier';
import { userInputSchema } from '../../../libs/domain/user';
import { UserRecordsRepository } from '../../../libs/persistence/user-records/user-records.repository';
import { IngestRateLimit } from '../access/rate-limit.decorator';
import { INGESTERS, READERS, Roles } from '../access/roles.decorator';
import { BodyLimit } from '../common/body-limit';
import { bulkEnvelope, noValidItem } from '../common/bulk-request';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { userProfileSchema, usersWrittenSchema } from './users.responses';

const body = bulkEnvelope('users');
const profileQuery = z.object({ events: z.coerce.number().int().min(0).max(500).default(50) }).strict();
const userIdParam = z.string().min(1).max(128);

@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(
    @Inject(UserRecordsRepository) private readonly records: UserRecordsRepository,
    @Inject(SegmentIngestionNotifier) private readonly segments: SegmentIngestionNotifier,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles(...INGESTERS)
  @IngestRateLimit()
  @BodyLimit('bulk')
  @ApiOperation({
    summary: 'Create or update user profiles in bulk',
    description: 'Attributes merge key by key. Invalid items are reported with index, field and reason; the valid rest is stored.',
  })
  @ApiBody({ schema: { type: 'object', properties: { users: { type: 'array', items: openApiSchema(userInputSchema) } } } })
  @ApiAnswers({ schema: usersWrittenSchema }, 400, 413)
  async upsert(@Body() raw: unknown) {
    const { users } = parseOr400(body, raw) as z.infer<typeof body>;
    const { valid, errors } = validateEach(userInputSchema, users);
    if (valid.length === 0) throw noValidItem('users', errors);
    await this.records.appendProfiles(valid.map((v) => v.value));
    this.segments.profilesStored();
    return { accepted: valid.length, rejected: errors };
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A user profile with its most recent events' })
  @ApiAnswers({ schema: userProfileSchema }, 400, 404)
  @ApiQuery({ name: 'events', required: false, description: 'how many recent events (0-500, default 50)' })
  async profile(@Param('id') id: string, @Query() query: unknown) {
    const userId = parseOr400(userIdParam, id);
    const { events: limit } = parseOr400(profileQuery, query);
    const user = await this.records.read(userId);
    if (!user) throw new NotFoundError(`no user with id ${userId}`);
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
