import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { serializeError, withoutEchoedInput } from './log-redaction';
import { activeTraceIds } from './tracing';

export type { Logger } from 'pino';

/** Keys whose values are secrets wherever they appear in a log line. */
export const REDACTED_KEYS = ['secret', 'secrets', 'password', 'token', 'authorization', 'apiKey', 'DATABASE_URL'];

/**
 * One JSON line per entry, with the service name and the active trace id, secrets censored by
 * key, and errors reduced to type, message, stack and codes (see serializeError).
 */
export function createLogger(service: string, level = 'info'): Logger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths, censor: '[redacted]' },
    serializers: { err: serializeError },
    formatters: { level: (label) => ({ level: label }) },
    mixin: activeTraceIds,
  });
}

/** Routes NestJS's own log calls into pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  // Nest logs an unexpected exception's message and stack, which may quote what it failed on.
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace: trace && withoutEchoedInput(trace) }, withoutEchoedInput(String(message)));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
