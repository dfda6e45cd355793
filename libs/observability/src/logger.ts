import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { activeTraceIds } from './tracing';

export type { Logger } from 'pino';

/** Keys whose values are secrets wherever they appear in a log line. */
export const REDACTED_KEYS = [
  'secret',
  'secrets',
  'password',
  'token',
  'authorization',
  'apiKey',
  'DATABASE_URL',
];

/** One JSON line per entry, with the service name and the active trace id, and secrets censored by key. */
export function createLogger(service: string, level = 'info'): Logger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths, censor: '[redacted]' },
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
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
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
