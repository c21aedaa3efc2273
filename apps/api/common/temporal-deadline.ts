import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Observable, from, lastValueFrom } from 'rxjs';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';

/**
 * Every Temporal call a request makes must be done within API_TEMPORAL_TIMEOUT_MS of the handler
 * starting. The client retries an unreachable server for 20 s or more; with the deadline the request
 * ends with DEADLINE_EXCEEDED, which the error filter answers as a 503 to retry.
 */
@Injectable()
export class TemporalDeadlineInterceptor implements NestInterceptor {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const deadline = Date.now() + this.cfg.API_TEMPORAL_TIMEOUT_MS;
    return from(this.temporal.connection.withDeadline(deadline, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
