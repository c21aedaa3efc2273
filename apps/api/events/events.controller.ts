import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { validateEach } from '../../../libs/domain/bulk-validation';
import { SegmentIngestionNotifier } from '../../../activities/segments/segment-ingestion.notifier';
import { eventInputSchema } from '../../../libs/domain/event';
import { UserRecordsRepository } from '../../../libs/persistence/user-records/user-records.repository';
import { ApiMetrics } from '../metrics/api-metrics';
import { IngestRateLimit } from '../access/rate-limit.decorator';
import { INGESTERS, Roles } from '../access/roles.decorator';
import { BodyLimit } from '../common/body-limit';
import { bulkEnvelope, noValidItem, rejectedItemsSchema } from '../common/bulk-request';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';

const eventsWrittenSchema = z.object({
  /** Valid events, durably stored when the answer comes (an event id already stored is not stored again). */
  accepted: z.number().int(),
  rejected: rejectedItemsSchema,
});

const body = bulkEnvelope('events');

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(UserRecordsRepository) private readonly records: UserRecordsRepository,
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @Inject(SegmentIngestionNotifier) private readonly segments: SegmentIngestionNotifier,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles(...INGESTERS)
  @IngestRateLimit()
  @BodyLimit('bulk')
  @ApiOperation({
    summary: 'Track events in bulk',
    description:
      'Each event carries a client eventId: an event sent again (a retry) is stored once, however often it comes. ' +
      'Invalid items are reported with index, field and reason; the valid rest is stored. If no item is valid the answer is 400 naming each field as events.<index>.<field>.',
  })
  @ApiBody({ schema: { type: 'object', properties: { events: { type: 'array', items: openApiSchema(eventInputSchema) } } } })
  @ApiAnswers({ schema: eventsWrittenSchema }, 400, 413)
  async track(@Body() raw: unknown) {
    const { events } = parseOr400(body, raw) as z.infer<typeof body>;
    const { valid, errors } = validateEach(eventInputSchema, events);
    if (valid.length === 0) throw noValidItem('events', errors);
    const written = await this.records.appendEvents(valid.map((v) => v.value));
    this.metrics.eventsIngested.inc(written.stored);
    if (written.stored > 0) this.segments.eventsStored(valid.map((v) => v.value.type));
    return { accepted: valid.length, rejected: errors };
  }
}
