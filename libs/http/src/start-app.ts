import type { DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { z } from 'zod';
import { loadConfigOrExit } from '@herald/config';
import { createLogger, startTracing, type Logger } from '@herald/observability';
import { runService } from './run-service';

interface BaseConfig {
  HTTP_HOST: string;
  PORT: number;
  LOG_LEVEL: string;
}

/**
 * The whole of an app's main.ts: validate the environment (exit 78 naming bad variables),
 * start tracing (from the standard OTEL_* variables), create the logger, build the root module, listen, and exit non-zero if start-up fails.
 */
export function startApp<S extends z.ZodObject<z.ZodRawShape>>(
  service: string,
  schema: S,
  rootModule: (config: z.infer<S> & BaseConfig, logger: Logger) => DynamicModule,
  options: {
    bodyLimitBytes?: (config: z.infer<S>) => number;
    configure?: (app: NestExpressApplication, config: z.infer<S>) => Promise<void>;
  } = {},
): void {
  const config = loadConfigOrExit(schema, service) as z.infer<S> & BaseConfig;
  const logger = createLogger(service, config.LOG_LEVEL);
  // Before the app is built, so every span and log line of the service has the trace context.
  startTracing(service)
    .then(() =>
      runService({
        service,
        module: rootModule(config, logger),
        host: config.HTTP_HOST,
        port: config.PORT,
        logger,
        bodyLimitBytes: options.bodyLimitBytes?.(config),
        configure: options.configure ? (app) => options.configure!(app, config) : undefined,
      }),
    )
    .catch((error) => {
      logger.fatal({ err: error }, `${service} failed to start`);
      process.exit(1);
    });
}
