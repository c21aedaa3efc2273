import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { nextSendMomentInputSchema } from '../../../libs/domain/send-decision';
import { SendDecisions, UnknownUserError } from '../../../libs/typology/send-decisions.service';
import { UnknownTypologyError } from '../../../libs/typology/typology-decider';
import { NotFoundError, ValidationError } from '../../../libs/domain/errors';
import { READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { parseOr400 } from '../common/zod-body';
import { sendTimeResponseSchema } from './send-time.responses';

const query = nextSendMomentInputSchema.omit({ userId: true });

@ApiTags('users')
@Controller('v1/users')
export class SendTimeController {
  constructor(@Inject(SendDecisions) private readonly decisions: SendDecisions) {}

  @Get(':id/send-time')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A user's best hours to send (from the last optimizeSendTimes run) and their next best moment",
    description: '?after= (ISO, default now), ?withinHours= (default 24), ?typologyId= (its quiet hours are respected), ?channel= (default email).',
  })
  @ApiAnswers({ schema: sendTimeResponseSchema }, 400, 404)
  async sendTime(@Param('id') id: string, @Query() raw: unknown) {
    const userId = parseOr400(z.string().min(1).max(128), id);
    const q = parseOr400(query, raw);
    try {
      const r = await this.decisions.nextSendMoment({ userId, ...q });
      const profile = r.profile && {
        bestHour: r.profile.bestHour,
        bestHourByWeekday: r.profile.bestHourByWeekday,
        confidence: r.profile.confidence,
        events: r.profile.events,
        computedAt: new Date(r.profile.computedAt).toISOString(),
      };
      return { userId: r.userId, timezone: r.timezone, nextBestMoment: new Date(r.at).toISOString(), profile };
    } catch (err) {
      if (err instanceof UnknownUserError) throw new NotFoundError(err.message);
      if (err instanceof UnknownTypologyError) throw new ValidationError('invalid request', [{ field: 'typologyId', reason: err.message }]);
      throw err;
    }
  }
}
