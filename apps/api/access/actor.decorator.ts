import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from '../../../libs/domain/access';
import { ApiRequest } from './api-request';

/** The key that made the request (for the audit log). Only on routes with @Roles. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<ApiRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without @Roles');
  return actor;
});
