import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { NestPinoLogger, traceHttpRequests } from '@herald/observability';
import { HttpExceptionFilter } from './http-exception.filter';

export interface RunServiceOptions {
  service: string;
  module: unknown;
  host: string;
  port: number;
  logger: Logger;
  /** Largest accepted JSON body. */
  bodyLimitBytes?: number;
  /** Runs after the app is built and before it listens (e.g. to attach a gRPC transport). */
  configure?: (app: NestExpressApplication) => Promise<void>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A `\u0000` escape that is not itself an escaped backslash followed by "u0000". */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

// The JSON parser would silently replace invalid UTF-8, and PostgreSQL cannot store NUL: refuse both here,
// not with a 500 further on.
function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
  }
  if (NUL_ESCAPE.test(text)) {
    throw Object.assign(new Error('The request body contains a NUL character (\\u0000)'), {
      status: 400,
      type: 'encoding.nul',
    });
  }
}

/**
 * Starts one service: Nest app with pino logs, one error format, JSON body limit, graceful
 * shutdown on SIGTERM/SIGINT (readiness off, consumers drained and committed, then exit).
 */
export async function runService(options: RunServiceOptions): Promise<NestExpressApplication> {
  const { logger } = options;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  app.use(traceHttpRequests);
  app.useBodyParser('json', { limit: options.bodyLimitBytes ?? 1024 * 1024, verify: requireUtf8 });
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  // Not enableShutdownHooks(): Nest re-raises the signal after closing, so the process would
  // die "by signal" rather than exit 0 after a clean drain.
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, `${options.service} shutting down`);
    app
      .close()
      .then(() => {
        logger.info(`${options.service} stopped`);
        process.exit(0);
      })
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  app.disable('x-powered-by');
  await options.configure?.(app);
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ host: options.host, port }, `${options.service} listening`);
  return app;
}
