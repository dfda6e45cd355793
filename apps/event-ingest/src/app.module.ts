import { Module, type DynamicModule } from '@nestjs/common';
import { Topics, topicName } from '@herald/contracts';
import { AuthModule } from '@herald/http';
import { IngestModule, KafkaApiKeyResolver } from '@herald/ingest';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { ObservabilityModule, type Logger } from '@herald/observability';
import type { EventIngestConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: EventIngestConfig, logger: Logger): DynamicModule {
    const sourceTopics =
      config.INGEST_SOURCE_TOPICS.length > 0
        ? config.INGEST_SOURCE_TOPICS
        : [topicName(config.KAFKA_TOPIC_PREFIX, Topics.ingest)];
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'event-ingest', logger }),
        KafkaModule.forRoot(kafkaSettingsFrom(config, 'event-ingest'), {
          shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
        }),
        // Tenant API keys come from the compacted webhooks.api-keys topic: ingest stays database-free.
        AuthModule.forRoot(
          {
            adminApiKey: config.HERALD_ADMIN_API_KEY,
            defaultTenant: config.HERALD_DEFAULT_TENANT,
            rateLimit: { perSecond: config.API_RATE_LIMIT_PER_SECOND, burst: config.API_RATE_LIMIT_BURST },
          },
          KafkaApiKeyResolver,
        ),
        IngestModule.forRoot({
          sourceTopics,
          maxEventBytes: config.INGEST_MAX_EVENT_BYTES,
          maxDepth: config.INGEST_MAX_DEPTH,
          maxKeys: config.INGEST_MAX_KEYS,
          idempotencyWindowSeconds: config.INGEST_IDEMPOTENCY_WINDOW_SECONDS,
          idempotencyMaxKeys: config.INGEST_IDEMPOTENCY_MAX_KEYS,
        }),
      ],
    };
  }
}
