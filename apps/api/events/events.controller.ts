import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { validateEach } from '../../../libs/domain/bulk-validation';
import { eventInputSchema } from '../../../libs/domain/event';
import { UserRecordsRepository } from '../../../libs/persistence/user-records/user-records.repository';
import { bulkEnvelope } from '../common/bulk-request';
import { openApiSchema, parseOr400 } from '../common/zod-body';

const body = bulkEnvelope('events');

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(UserRecordsRepository) private readonly records: UserRecordsRepository,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Track events in bulk',
    description:
      'Each event carries a client eventId: an event sent again (a retry) is stored once, however often it comes. ' +
      'Invalid items are reported with index, field and reason; the valid rest is stored. If no item is valid the answer is 400 with the same list.',
  })
  @ApiBody({ schema: { type: 'object', properties: { events: { type: 'array', items: openApiSchema(eventInputSchema) } } } })
  @ApiResponse({ status: 200, description: '{ accepted, rejected: [{ index, field, reason }] }: accepted events are durably stored when the answer comes' })
  async track(@Body() raw: unknown) {
    const { events } = parseOr400(body, raw) as z.infer<typeof body>;
    const { valid, errors } = validateEach(eventInputSchema, events);
    if (valid.length === 0) {
      throw new BadRequestException({ statusCode: 400, message: 'no valid event', accepted: 0, rejected: errors });
    }
    await this.records.appendEvents(valid.map((v) => v.value));
    return { accepted: valid.length, rejected: errors };
  }
}
