import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'http';
import { Observable, from, switchMap } from 'rxjs';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
// Express's JSON parser (body-parser: content types, charsets, gzip), which ships without types here.
const { json } = require('express') as { json: (options: { limit: number }) => Middleware };

export const BODY_LIMIT_KEY = 'propensity:body-limit';
/** `bulk`: BODY_LIMIT_BULK_BYTES; `stream`: the route reads the raw body itself; default BODY_LIMIT_BYTES. */
export type BodyLimit = 'bulk' | 'stream';
export const BodyLimit = (limit: BodyLimit) => SetMetadata(BODY_LIMIT_KEY, limit);

/**
 * Parses JSON bodies per route, after the guard: a request without a valid key is refused before its
 * body is read, and each route caps its body (bulk ingestion a few MB, configuration 64 KiB), so a
 * larger body is a 413 in the error shape.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly parsers: Record<'bulk' | 'default', Middleware>;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.parsers = { bulk: json({ limit: cfg.BODY_LIMIT_BULK_BYTES }), default: json({ limit: cfg.BODY_LIMIT_BYTES }) };
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const limit = this.reflector.getAllAndOverride<BodyLimit | undefined>(BODY_LIMIT_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (limit === 'stream') return next.handle();
    const http = ctx.switchToHttp();
    const parse = this.parsers[limit ?? 'default'];
    const parsed = new Promise<void>((resolve, reject) => parse(http.getRequest(), http.getResponse(), (err) => (err ? reject(err) : resolve())));
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}
