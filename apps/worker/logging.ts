import { LoggerService } from '@nestjs/common';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import pino from 'pino';
import { AppConfig } from '../../libs/config/config';

/** JSON lines on stdout, as the API writes them (nestjs-pino), at LOG_LEVEL. */
export function workerLogger(cfg: AppConfig): pino.Logger {
  return pino({ level: cfg.LOG_LEVEL, base: { pid: process.pid, app: 'worker' } });
}

const PINO_LEVEL: Record<LogLevel, pino.Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** The Temporal SDK's runtime logger (worker, activity and workflow logs, and Core's when forwarded) into pino. */
export function temporalLogger(logger: pino.Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => logger[PINO_LEVEL[level]]({ ...meta, src: 'temporal' }, message);
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

/** Nest's own messages (module start-up, errors) into pino too. */
export function nestLogger(logger: pino.Logger): LoggerService {
  const msg = (m: unknown) => (typeof m === 'string' ? m : JSON.stringify(m));
  return {
    log: (m, ctx?: string) => logger.info({ ctx }, msg(m)),
    // Nest passes (message, stack, context) for errors, (message, context) otherwise.
    error: (m, ...rest: unknown[]) => logger.error({ ctx: rest.length > 1 ? rest[rest.length - 1] : rest[0], stack: rest.length > 1 ? rest[0] : undefined }, msg(m)),
    warn: (m, ctx?: string) => logger.warn({ ctx }, msg(m)),
    debug: (m, ctx?: string) => logger.debug({ ctx }, msg(m)),
    verbose: (m, ctx?: string) => logger.trace({ ctx }, msg(m)),
  };
}
