import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditService } from '../../../libs/access/audit.service';
import { auditQuerySchema, roleSchema } from '../../../libs/domain/access';
import { ADMINS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { parseOr400 } from '../common/zod-body';

const auditPageSchema = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string().datetime(),
      actor: z.object({ keyId: z.string().nullable(), name: z.string(), role: roleSchema }),
      action: z.string().describe('e.g. prediction.create, prediction.update, prediction.archive, key.revoke'),
      resourceType: z.string(),
      resourceId: z.string(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
  next: z.string().nullable().describe('pass as `before` for the next (older) page; null on the last page'),
});

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Configuration changes, newest first: who (key), what (action, resource), when, before and after' })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'resourceType', required: false })
  @ApiQuery({ name: 'resourceId', required: false })
  @ApiQuery({ name: 'keyId', required: false })
  @ApiQuery({ name: 'before', required: false, description: 'the `next` cursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1-200, default 50' })
  @ApiAnswers({ schema: auditPageSchema }, 400)
  list(@Query() query: unknown) {
    return this.audit.list(parseOr400(auditQuerySchema, query));
  }
}
