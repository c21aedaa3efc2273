import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from '../../../libs/access/api-keys.service';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { Role } from '../../../libs/domain/access';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../common/http-errors';
import { ApiRequest } from './api-request';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokenBuckets } from './token-buckets';

/**
 * The one gate of every route (APP_GUARD): a route is open only if it says @Public(); otherwise the
 * request needs `Authorization: Bearer <key>` with a key whose role the route's @Roles admits. A
 * route that declares nothing is refused, so a route added later is closed until it says who may call
 * it. Failed authentications are limited per client address (before the key is even read, so the
 * limit cannot be used to tell good keys from bad).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failures: TokenBuckets;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeysService) private readonly keys: ApiKeysService,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.failures = new TokenBuckets(cfg.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE, 60_000);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<ApiRequest>();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = this.failures.retryAfterSeconds(address);
    if (wait > 0) throw new TooManyRequestsError('too many failed authentications from this address', wait);

    const token = bearerToken(req.headers.authorization);
    if (token === null) throw new UnauthorizedError('an API key is required: send Authorization: Bearer <key>');
    const actor = await this.keys.authenticate(token);
    if (!actor) {
      this.failures.take(address);
      throw new UnauthorizedError('the API key is not valid (unknown, revoked or malformed)');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new ForbiddenError('this route declares no roles, so no key may call it');
    if (!roles.includes(actor.role)) throw new ForbiddenError(`this route needs a key with one of the roles ${roles.join(', ')}; this key is ${actor.role}`);
    req.actor = actor;
    return true;
  }
}

function bearerToken(header: string | undefined): string | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1] : null;
}
