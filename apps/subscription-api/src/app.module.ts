import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '@herald/http';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { ObservabilityModule, type Logger } from '@herald/observability';
import { PersistenceModule, databaseSettingsFrom } from '@herald/persistence';
import { WebhooksModule, webhookEntities } from '@herald/webhooks';
import { resolve } from 'node:path';
import { AdminPortalModule } from './admin-portal.module';
import type { SubscriptionApiConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: SubscriptionApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'subscription-api', logger }),
        KafkaModule.forRoot(kafkaSettingsFrom(config, 'subscription-api'), { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS }),
        PersistenceModule.forRoot({ ...databaseSettingsFrom(config), entities: webhookEntities }),
        AuthModule.forRoot({ adminApiKey: config.HERALD_ADMIN_API_KEY, defaultTenant: config.HERALD_DEFAULT_TENANT }),
        WebhooksModule,
        // The portal's build sits beside this app's in the build directory (apps/portal/public).
        AdminPortalModule.forRoot(resolve(__dirname, '../../portal/public')),
      ],
    };
  }
}
