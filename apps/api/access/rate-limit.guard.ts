import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { TooManyRequestsError } from '../common/http-errors';
import { ApiRequest } from './api-request';
import { RATE_LIMIT_KEY } from './rate-limit.decorator';
import { TokenBuckets } from './token-buckets';

/**
 * Per-key budget of the ingestion routes (after ApiKeyGuard has named the key). In this process's
 * memory: each API process counts on its own.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly ingest: TokenBuckets;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.ingest = new TokenBuckets(cfg.RATE_LIMIT_INGEST_PER_MINUTE, 60_000);
  }

  canActivate(ctx: ExecutionContext): boolean {
    if (!this.reflector.getAllAndOverride<string>(RATE_LIMIT_KEY, [ctx.getHandler(), ctx.getClass()])) return true;
    const actor = ctx.switchToHttp().getRequest<ApiRequest>().actor;
    if (!actor?.keyId) return true; // public routes carry no key
    const taken = this.ingest.take(actor.keyId);
    if (!taken.ok) {
      throw new TooManyRequestsError(`this key's ingestion limit of ${this.cfg.RATE_LIMIT_INGEST_PER_MINUTE} requests a minute is reached`, taken.retryAfterSeconds);
    }
    return true;
  }
}
