import {
  Controller,
  Get,
  Global,
  Header,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type DynamicModule,
} from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { MetricsService } from './metrics.service';
import { ReadinessRegistry } from './readiness-registry';
import { stopTracing } from './tracing';

export const LOGGER = Symbol('LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.readiness.entries().map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          await check();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    );
  }
}

@Controller()
class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/**
 * Flips readiness to "not ready" as the first step of a graceful shutdown, and exports the
 * last buffered spans as the last step.
 */
@Injectable()
class ShutdownReadiness implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(private readonly readiness: ReadinessRegistry) {}
  beforeApplicationShutdown(): void {
    this.readiness.markShuttingDown();
  }
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

export interface ObservabilityOptions {
  service: string;
  logger: Logger;
}

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: MetricsService, useFactory: () => new MetricsService(options.service) },
        ReadinessRegistry,
        ShutdownReadiness,
      ],
      exports: [LOGGER, SERVICE_NAME, MetricsService, ReadinessRegistry],
    };
  }
}

/** Shorthand for injecting the app's pino logger. */
export const InjectLogger = () => Inject(LOGGER);
