import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'http';
import { ConflictError, NotFoundError, ValidationError } from '../../../libs/domain/errors';
import { DEPENDENCY_RETRY_AFTER_SECONDS, unreachableDependency } from './dependency-failure';
import { ErrorBody, errorBody } from './error-body';
import { HttpError } from './http-errors';

interface Rendered {
  body: ErrorBody;
  retryAfterSeconds?: number;
}

/** Errors of the body parser and other http-errors style errors: a client error with a status to show. */
function exposedClientError(err: unknown): { status: number; message: string; type?: string; limit?: number } | null {
  const e = err as { status?: unknown; expose?: unknown; message?: unknown; type?: unknown; limit?: unknown };
  if (!(err instanceof Error) || typeof e.status !== 'number' || e.status < 400 || e.status > 499 || e.expose !== true) return null;
  return { status: e.status, message: String(e.message), type: typeof e.type === 'string' ? e.type : undefined, limit: typeof e.limit === 'number' ? e.limit : undefined };
}

function nestMessage(ex: HttpException): string {
  const r = ex.getResponse();
  if (typeof r === 'string') return r;
  const m = (r as { message?: unknown }).message;
  return Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : ex.message;
}

/** Turns anything thrown into the one error shape; the only place that writes an error body. */
export function render(err: unknown): Rendered {
  if (err instanceof HttpError) return { body: errorBody(err.status, err.message, err.extra.errors), retryAfterSeconds: err.extra.retryAfterSeconds };
  if (err instanceof ValidationError) return { body: errorBody(400, err.message, err.errors) };
  if (err instanceof NotFoundError) return { body: errorBody(404, err.message) };
  if (err instanceof ConflictError) return { body: errorBody(409, err.message) };
  const down = unreachableDependency(err);
  if (down) return { body: errorBody(503, `${down} is unavailable: retry later`), retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS };
  if (err instanceof HttpException) return { body: errorBody(err.getStatus(), nestMessage(err)) };
  const client = exposedClientError(err);
  if (client?.type === 'entity.too.large') {
    const message = `the request body is larger than ${client.limit} bytes, the limit of this route`;
    return { body: errorBody(413, message, [{ field: '(body)', reason: message }]) };
  }
  if (client?.type === 'entity.parse.failed') return { body: errorBody(400, 'the request body is not valid JSON', [{ field: '(body)', reason: client.message }]) };
  if (client) return { body: errorBody(client.status, client.message) };
  return { body: errorBody(500, 'internal error') };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('ErrorFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const { body, retryAfterSeconds } = render(err);
    // An outage is one line per refused request; anything else unexpected gets its stack.
    if (body.statusCode === 503) this.log.warn(`${body.message}: ${err instanceof Error ? err.message : String(err)}`);
    else if (body.statusCode >= 500) this.log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (res.headersSent) return void res.end();
    if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
    res.statusCode = body.statusCode;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }
}
