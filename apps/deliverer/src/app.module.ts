import { Module, type DynamicModule } from '@nestjs/common';
import { DeliveryModule } from '@herald/delivery';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { ObservabilityModule, type Logger } from '@herald/observability';
import { SecretBox, configureSecretBox, keysFromConfig } from '@herald/secret-box';
import { resolverFor } from '@herald/ssrf';
import type { DelivererConfig } from './config';
import { HERALD_VERSION } from '@herald/contracts';

@Module({})
export class AppModule {
  static forRoot(config: DelivererConfig, logger: Logger): DynamicModule {
    configureSecretBox(new SecretBox(keysFromConfig(config)));
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'deliverer', logger }),
        KafkaModule.forRoot(kafkaSettingsFrom(config, 'deliverer'), { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS }),
        DeliveryModule.forRoot({
          timeoutMs: config.DELIVERY_TIMEOUT_MS,
          maxResponseBytes: config.DELIVERY_MAX_RESPONSE_BYTES,
          concurrencyPerPartition: config.DELIVERY_CONCURRENCY,
          retryConcurrencyPerPartition: config.DELIVERY_RETRY_CONCURRENCY,
          userAgent: `Herald/${HERALD_VERSION}`,
          allowedCidrs: config.DELIVERY_ALLOWED_CIDRS,
          resolve: resolverFor(config.DNS_SERVERS),
          retry: {
            scheduleSeconds: config.DELIVERY_RETRY_SCHEDULE,
            jitter: config.DELIVERY_RETRY_JITTER_PERCENT / 100,
            maxRetryAfterMs: config.DELIVERY_RETRY_AFTER_MAX_SECONDS * 1000,
          },
          gate: {
            failureThreshold: config.DELIVERY_BREAKER_FAILURES,
            openMs: config.DELIVERY_BREAKER_OPEN_MS,
            maxConcurrency: config.DELIVERY_ENDPOINT_CONCURRENCY,
            ratePerSecond: config.DELIVERY_ENDPOINT_RATE_PER_SECOND,
            initialConcurrency: config.DELIVERY_ENDPOINT_INITIAL_CONCURRENCY || undefined,
            queueWaitMs: config.DELIVERY_ENDPOINT_QUEUE_WAIT_MS,
            queueLength: config.DELIVERY_ENDPOINT_QUEUE_LENGTH,
            queueTotal: config.DELIVERY_QUEUE_TOTAL,
            maxPauseMs: config.DELIVERY_RETRY_AFTER_MAX_SECONDS * 1000,
          },
          autoDisableAfterMs: config.DELIVERY_AUTO_DISABLE_AFTER_MS,
          dedupe: { windowMs: config.DELIVERY_DEDUPE_WINDOW_SECONDS * 1000 },
          mail: config.SMTP_URL ? { smtpUrl: config.SMTP_URL, from: config.SMTP_FROM } : null,
          operationalWebhooksTenant: config.OPERATIONAL_WEBHOOKS_TENANT ?? null,
        }),
      ],
    };
  }
}
