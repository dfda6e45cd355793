import { z } from 'zod';
import { commonEnv, dnsEnv, env, kafkaEnv, secretKeysEnv } from '@herald/config';
import { operationalWebhooksEnv } from '@herald/operational-webhooks';
import { invalidCidrs } from '@herald/ssrf';

const seconds = env
  .list(['5', '300', '1800', '7200', '18000', '36000', '36000'])
  .refine(
    (list) => list.length > 0 && list.every((s) => /^\d+(\.\d+)?$/.test(s)),
    'must be a comma-separated list of seconds, e.g. 5,300,1800',
  )
  .transform((list) => list.map(Number));

export const configSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...dnsEnv,
  ...secretKeysEnv,
  ...operationalWebhooksEnv,
  PORT: env.port(3003),
  DELIVERY_TIMEOUT_MS: env.int(5000, 100, 60000),
  DELIVERY_MAX_RESPONSE_BYTES: env.int(65536, 0, 10 * 1024 * 1024),
  DELIVERY_CONCURRENCY: env.int(64, 1, 10000),
  DELIVERY_RETRY_CONCURRENCY: env.int(64, 1, 10000),
  /** Delays after each failed attempt (seconds); a webhook's own schedule wins. */
  DELIVERY_RETRY_SCHEDULE: seconds,
  DELIVERY_RETRY_JITTER_PERCENT: env.int(10, 0, 100),
  DELIVERY_RETRY_AFTER_MAX_SECONDS: env.int(3600, 0, 86400),
  /** CIDR ranges outside public unicast that receivers may use (e.g. 10.20.0.0/16); empty: none. */
  DELIVERY_ALLOWED_CIDRS: env.list([]).refine((list) => invalidCidrs(list).length === 0, {
    error: (issue) => `not a CIDR range or IP address: ${invalidCidrs(issue.input as string[]).join(', ')}`,
  }),
  /** Per-webhook maximum of requests in flight; a webhook's own maximum wins. */
  DELIVERY_ENDPOINT_CONCURRENCY: env.int(10, 1, 1000),
  /**
   * The adaptive limit each webhook starts at (AIMD moves it between 1 and the maximum); 0: the maximum.
   * Not the maximum by default: a hanging webhook would hold that many partition slots until its timeouts.
   */
  DELIVERY_ENDPOINT_INITIAL_CONCURRENCY: env.int(5, 0, 1000),
  /** A healthy webhook at its limit: its deliveries wait in memory this long (ms) before going back to Kafka. */
  DELIVERY_ENDPOINT_QUEUE_WAIT_MS: env.int(5000, 0, 60000),
  DELIVERY_ENDPOINT_QUEUE_LENGTH: env.int(50, 0, 10000),
  /** Deliveries waiting in memory across all webhooks; below a partition's uncommitted window (256). */
  DELIVERY_QUEUE_TOTAL: env.int(200, 0, 100000),
  /** Requests per second per endpoint; 0 = unlimited. A webhook's own limit wins. */
  DELIVERY_ENDPOINT_RATE_PER_SECOND: env.int(50, 0, 100000),
  DELIVERY_BREAKER_FAILURES: env.int(5, 1, 1000),
  DELIVERY_BREAKER_OPEN_MS: env.int(30000, 100, 3_600_000),
  DELIVERY_AUTO_DISABLE_AFTER_MS: env.int(5 * 24 * 3_600_000, 1000),
  /** Final attempts this recent are read back on partition assignment, so they are not sent again; 0: off. */
  DELIVERY_DEDUPE_WINDOW_SECONDS: env.int(600, 0, 86400),
  /** `smtp://user:password@host:port` (or smtps://); unset: notifications are only published to Kafka. */
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/]+/.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  SMTP_FROM: env.str('Herald <herald@localhost>'),
});
export type DelivererConfig = z.infer<typeof configSchema>;
