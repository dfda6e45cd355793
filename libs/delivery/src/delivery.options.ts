import type { HttpSenderOptions } from '@herald/webhook-request';
import type { RetryScheduleOptions } from './retry-schedule';
import type { WebhookGateOptions } from './webhook-gate';
import type { MailerOptions } from './notification-mailer';
import type { DoneDeliveriesOptions } from './done/done-deliveries';

export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

export interface DeliveryOptions extends HttpSenderOptions {
  /** Fresh deliveries processed at once per partition. */
  concurrencyPerPartition: number;
  /** Due retries processed at once per retry-tier partition (a separate pool from fresh deliveries). */
  retryConcurrencyPerPartition: number;
  retry: RetryScheduleOptions;
  gate: WebhookGateOptions;
  /** A webhook failing without a success for this long is disabled (ms). */
  autoDisableAfterMs: number;
  /** SMTP for notifications; null: notifications are only published to the topic. */
  mail: MailerOptions | null;
  /** OPERATIONAL_WEBHOOKS_TENANT: also receives every tenant's failing/recovered/dead-lettered events. */
  operationalWebhooksTenant?: string | null;
  /** Skipping deliveries already final after a crash or rebalance; a 10-minute window by default. */
  dedupe?: DoneDeliveriesOptions;
}
