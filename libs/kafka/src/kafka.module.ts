import {
  Global,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, ReadinessRegistry, withTimeout } from '@herald/observability';
import { CompactedTopicView, type CompactedViewOptions } from './compacted-view';
import { ConsumerLoop, type ConsumerLoopOptions } from './consumer-loop';
import { KafkaClient } from './kafka-client';
import type { KafkaSettings } from './kafka-config';

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');
export const SHUTDOWN_TIMEOUT_MS = Symbol('SHUTDOWN_TIMEOUT_MS');

/**
 * Owns this process's Kafka consumers and views: creates them, reports them in readiness, and
 * on shutdown stops them (finishing in-flight work and committing) before the producer closes.
 */
@Injectable()
export class KafkaRuntime implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly loops: ConsumerLoop[] = [];
  private readonly views: { check(): void; stop(): Promise<void> }[] = [];

  constructor(
    readonly client: KafkaClient,
    private readonly readiness: ReadinessRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SHUTDOWN_TIMEOUT_MS) private readonly shutdownTimeoutMs: number,
  ) {}

  async onModuleInit(): Promise<void> {
    this.readiness.register('kafka', () => withTimeout(this.client.ping(), 3000, 'Kafka'));
    this.readiness.register('consumers', async () => {
      for (const loop of this.loops) loop.check();
      for (const view of this.views) view.check();
    });
    await this.client.connect();
  }

  consumer(options: ConsumerLoopOptions): ConsumerLoop {
    const loop = new ConsumerLoop(this.client, options, this.logger.child({ consumer: options.groupId }));
    this.loops.push(loop);
    return loop;
  }

  view<T>(options: CompactedViewOptions<T>): CompactedTopicView<T> {
    const view = new CompactedTopicView<T>(this.client, options, this.logger.child({ view: options.topic }));
    this.views.push(view);
    return view;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop(this.shutdownTimeoutMs)));
    await Promise.all(this.views.map((view) => view.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.disconnect();
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(settings: KafkaSettings, options: { shutdownTimeoutMs: number }): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_SETTINGS, useValue: settings },
        { provide: SHUTDOWN_TIMEOUT_MS, useValue: options.shutdownTimeoutMs },
        {
          provide: KafkaClient,
          inject: [LOGGER],
          useFactory: (logger: Logger) => new KafkaClient(settings, logger),
        },
        KafkaRuntime,
      ],
      exports: [KafkaClient, KafkaRuntime, KAFKA_SETTINGS],
    };
  }
}
