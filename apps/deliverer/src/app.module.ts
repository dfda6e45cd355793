import { Module, type DynamicModule } from '@nestjs/common';
import { DeliveryModule } from '@herald/delivery';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { ObservabilityModule, type Logger } from '@herald/observability';
import type { DelivererConfig } from './config';
import { HERALD_VERSION } from '@herald/contracts';

@Module({})
export class AppModule {
  static forRoot(config: DelivererConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'deliverer', logger }),
        KafkaModule.forRoot(kafkaSettingsFrom(config, 'deliverer'), { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS }),
        DeliveryModule.forRoot({
          timeoutMs: config.DELIVERY_TIMEOUT_MS,
          maxResponseBytes: config.DELIVERY_MAX_RESPONSE_BYTES,
          concurrencyPerPartition: config.DELIVERY_CONCURRENCY,
          userAgent: `Herald/${HERALD_VERSION}`,
        }),
      ],
    };
  }
}
