import { Module, type DynamicModule } from '@nestjs/common';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { MatchingModule } from '@herald/matching';
import { ObservabilityModule, type Logger } from '@herald/observability';
import type { MatcherConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: MatcherConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'matcher', logger }),
        KafkaModule.forRoot(kafkaSettingsFrom(config, 'matcher'), { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS }),
        MatchingModule,
      ],
    };
  }
}
