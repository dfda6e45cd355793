import type { DynamicModule } from '@nestjs/common';
import { z } from 'zod';
import { PgApiKeyResolver } from '@herald/api-key-resolver';
import { apiRateLimitEnv, commonEnv, databaseEnv, dnsEnv, env, kafkaEnv, secretKeysEnv } from '@herald/config';
import { AuthModule, apiRateLimitFrom } from '@herald/http';
import { KafkaModule, kafkaSettingsFrom } from '@herald/kafka';
import { operationalWebhooksEnv } from '@herald/operational-webhooks';
import { ObservabilityModule, type Logger } from '@herald/observability';
import { PersistenceModule, databaseSettingsFrom } from '@herald/persistence';
import { SecretBox, configureSecretBox, keysFromConfig } from '@herald/secret-box';
import { invalidCidrs, resolverFor } from '@herald/ssrf';
import { WebhooksModule, webhookEntities } from './webhooks.module';

/** Environment variables of the subscription API (validated once, in the app's config.ts). */
export const subscriptionApiEnv = {
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  ...apiRateLimitEnv,
  ...dnsEnv,
  ...secretKeysEnv,
  ...operationalWebhooksEnv,
  PORT: env.port(3000),
  HERALD_ADMIN_API_KEY: z
    .string({ error: 'is required (the bootstrap admin API key)' })
    .min(16, 'must be at least 16 characters'),
  HERALD_DEFAULT_TENANT: env.str('default'),
  WEBHOOKS_PER_TENANT_LIMIT: env.int(100, 1, 100_000),
  WEBHOOK_URL_HTTPS_ONLY: env.bool(false),
  WEBHOOK_URL_ALLOWED_CIDRS: env
    .list([])
    .refine((list) => invalidCidrs(list).length === 0, 'must be comma-separated CIDR ranges or IP addresses'),
  SECRET_ROTATION_OVERLAP_SECONDS: env.int(86_400, 0, 604_800),
  /** The deliverer's DELIVERY_TIMEOUT_MS: the most a webhook's own `timeoutMs` may be. */
  DELIVERY_TIMEOUT_MS: env.int(5000, 100, 60000),
  /** Origins (scheme://host[:port]) that may embed the portal in an iframe; none: it cannot be framed. */
  PORTAL_FRAME_ANCESTORS: env
    .list([])
    .refine(
      (list) => list.every((origin) => /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)),
      'must be comma-separated origins such as https://app.example.com (scheme, host and optional port)',
    ),
  /** The admin gRPC service listens here when GRPC_PORT is set (off by default: one port per deployment). */
  GRPC_HOST: env.str('127.0.0.1'),
  GRPC_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 1 to 65535')
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65_535, 'must be a port number from 1 to 65535')
    .optional(),
};
export const subscriptionApiConfigSchema = z.object(subscriptionApiEnv);
export type SubscriptionApiSettings = z.infer<typeof subscriptionApiConfigSchema>;

/** The modules of the subscription API, shared by its app and its integration tests. */
export function subscriptionApiModules(config: SubscriptionApiSettings, logger: Logger): DynamicModule[] {
  configureSecretBox(new SecretBox(keysFromConfig(config)));
  return [
    ObservabilityModule.forRoot({ service: 'subscription-api', logger }),
    KafkaModule.forRoot(kafkaSettingsFrom(config, 'subscription-api'), {
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    }),
    PersistenceModule.forRoot({ ...databaseSettingsFrom(config), entities: webhookEntities }),
    // One budget per key for REST and gRPC together (both go through AuthModule's ApiAccess).
    AuthModule.forRoot(
      {
        adminApiKey: config.HERALD_ADMIN_API_KEY,
        defaultTenant: config.HERALD_DEFAULT_TENANT,
        rateLimit: apiRateLimitFrom(config),
      },
      PgApiKeyResolver,
    ),
    WebhooksModule.forRoot({
      webhookLimitPerTenant: config.WEBHOOKS_PER_TENANT_LIMIT,
      httpsOnly: config.WEBHOOK_URL_HTTPS_ONLY,
      allowedTargetCidrs: config.WEBHOOK_URL_ALLOWED_CIDRS,
      resolve: resolverFor(config.DNS_SERVERS),
      secretRotationOverlapSeconds: config.SECRET_ROTATION_OVERLAP_SECONDS,
      deliveryTimeoutMs: config.DELIVERY_TIMEOUT_MS,
      portalEmbedding: config.PORTAL_FRAME_ANCESTORS.length > 0,
      operationalWebhooksTenant: config.OPERATIONAL_WEBHOOKS_TENANT ?? null,
    }),
  ];
}
