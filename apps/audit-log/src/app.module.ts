import { Module, type DynamicModule } from '@nestjs/common';
import { EventLogModule, eventLogEntities } from '@herald/event-log';
import { AuthModule, apiRateLimitFrom } from '@herald/http';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { ObservabilityModule, type Logger } from '@herald/observability';
import { PersistenceModule, databaseSettingsFrom } from '@herald/persistence';
import { PgApiKeyResolver } from '@herald/api-key-resolver';
import type { AuditLogConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: AuditLogConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'audit-log', logger }),
        KafkaModule.forRoot(kafkaSettingsFrom(config, 'audit-log'), { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS }),
        PersistenceModule.forRoot({ ...databaseSettingsFrom(config), entities: eventLogEntities }),
        // Tenant API keys are read from subscription-api's api_keys table: the same keys and scopes as the admin API.
        AuthModule.forRoot(
          {
            adminApiKey: config.HERALD_ADMIN_API_KEY,
            defaultTenant: config.HERALD_DEFAULT_TENANT,
            rateLimit: apiRateLimitFrom(config),
          },
          PgApiKeyResolver,
        ),
        EventLogModule.forRoot({
          retentionDays: config.EVENT_LOG_RETENTION_DAYS,
          maintenanceIntervalMs: config.EVENT_LOG_MAINTENANCE_INTERVAL_MS,
          recoveryMaxRatePerSecond: config.RECOVERY_MAX_RATE_PER_SECOND,
        }),
      ],
    };
  }
}
