/** Logical topic names; the deployed name is `${KAFKA_TOPIC_PREFIX}${name}`. */
export const Topics = {
  /** Default source topic platform services publish raw events to. */
  ingest: 'webhooks.ingest',
  /** Canonical, validated event envelopes. Key: tenantId. */
  events: 'webhooks.events',
  /** Invalid input with the reason. */
  eventsDlq: 'webhooks.events.dlq',
  /** Compacted: latest state of every webhook. Key: webhookId; tombstone on delete. */
  subscriptions: 'webhooks.subscriptions',
  /** One task per (event, webhook). Key: webhookId. */
  deliveries: 'webhooks.deliveries',
  /** Delivery tasks that could not be read, with the reason. */
  deliveriesDlq: 'webhooks.deliveries.dlq',
  /** One record per delivery attempt. Key: webhookId. */
  attempts: 'webhooks.attempts',
  /** Admin audit trail. Key: tenantId. */
  audit: 'webhooks.audit',
  /** Compacted: the event-type catalog (optional JSON Schema per type). Key: event type name. */
  eventTypes: 'webhooks.event-types',
  /** Compacted: every tenant API key as a hash, scopes and revocation (ApiKeyRecord). Key: keyId. */
  apiKeys: 'webhooks.api-keys',
  /**
   * Compacted and time-limited: event-ingest's dedupe window, one IdempotencyKeyRecord per
   * (tenant, idempotency key). Key: idempotencyRecordKey(tenantId, idempotencyKey).
   */
  idempotencyKeys: 'webhooks.idempotency-keys',
  /** Attempt, event and audit records audit-log could not read, with the reason. */
  eventLogDlq: 'webhooks.event-log.dlq',
  /** Notifications and disable requests that could not be read, with the reason. */
  deliveryHealthDlq: 'webhooks.delivery-health.dlq',
  /** Delivery retries waiting their turn, by delay tier (see RETRY_TIERS). Key: webhookId. */
  retry1s: 'webhooks.deliveries.retry.1s',
  retry5s: 'webhooks.deliveries.retry.5s',
  retry30s: 'webhooks.deliveries.retry.30s',
  retry5m: 'webhooks.deliveries.retry.5m',
  retry30m: 'webhooks.deliveries.retry.30m',
  retry2h: 'webhooks.deliveries.retry.2h',
  /**
   * Compacted: deliveries with an orderingKey not yet finished (OrderedDelivery), read back after a
   * restart or rebalance. Key: deliveryId; tombstone once delivered or dead-lettered.
   */
  orderedDeliveries: 'webhooks.deliveries.ordered',
  /** Deliveries whose retry schedule is exhausted (DeadLetteredDelivery). Key: webhookId. */
  deadLetters: 'webhooks.deliveries.dead-letters',
  /** Things a webhook's technical contact is told (Notification). Key: webhookId. */
  notifications: 'webhooks.notifications',
  /** The deliverer asks subscription-api to disable a webhook (DisableWebhookRequest). Key: webhookId. */
  disableRequests: 'webhooks.disable-requests',
} as const;

/**
 * A retry waits in the longest tier not longer than its remaining delay, then hops down: one
 * delay per tier keeps each partition's head the first due.
 */
export const RETRY_TIERS = [
  { topic: 'retry1s', delayMs: 1_000 },
  { topic: 'retry5s', delayMs: 5_000 },
  { topic: 'retry30s', delayMs: 30_000 },
  { topic: 'retry5m', delayMs: 300_000 },
  { topic: 'retry30m', delayMs: 1_800_000 },
  { topic: 'retry2h', delayMs: 7_200_000 },
] as const satisfies readonly { topic: keyof typeof Topics; delayMs: number }[];

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  name: string;
  partitions: number;
  compacted?: boolean;
  /** With compacted: `cleanup.policy=compact,delete`, so keys older than this disappear too. */
  retentionMs?: number;
}

/** Kafka topic configs of a spec (topic creation and tools/deploy/topics.mjs). */
export function topicConfigEntries(spec: TopicSpec): { name: string; value: string }[] {
  const policy = spec.compacted ? (spec.retentionMs !== undefined ? 'compact,delete' : 'compact') : null;
  return [
    ...(policy ? [{ name: 'cleanup.policy', value: policy }] : []),
    ...(spec.retentionMs !== undefined ? [{ name: 'retention.ms', value: String(spec.retentionMs) }] : []),
  ];
}

/** Prefixes a logical topic name. */
export function topicName(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

/** Default of event-ingest's INGEST_IDEMPOTENCY_WINDOW_SECONDS: one day. */
export const DEFAULT_IDEMPOTENCY_WINDOW_SECONDS = 86_400;

/** event-ingest aligns an existing idempotency-key topic's retention with its dedupe window at start. */
export function heraldTopicSpecs(
  prefix: string,
  partitions: number,
  idempotencyWindowSeconds = DEFAULT_IDEMPOTENCY_WINDOW_SECONDS,
): TopicSpec[] {
  return [
    { name: topicName(prefix, Topics.ingest), partitions },
    { name: topicName(prefix, Topics.events), partitions },
    { name: topicName(prefix, Topics.eventsDlq), partitions: 1 },
    { name: topicName(prefix, Topics.subscriptions), partitions, compacted: true },
    { name: topicName(prefix, Topics.deliveries), partitions },
    { name: topicName(prefix, Topics.deliveriesDlq), partitions: 1 },
    { name: topicName(prefix, Topics.attempts), partitions },
    { name: topicName(prefix, Topics.audit), partitions: 1 },
    { name: topicName(prefix, Topics.eventTypes), partitions: 1, compacted: true },
    // One partition, like the catalog: small, read whole by every event-ingest process.
    { name: topicName(prefix, Topics.apiKeys), partitions: 1, compacted: true },
    idempotencyKeysTopicSpec(prefix, partitions, idempotencyWindowSeconds),
    { name: topicName(prefix, Topics.eventLogDlq), partitions: 1 },
    { name: topicName(prefix, Topics.deliveryHealthDlq), partitions: 1 },
    ...RETRY_TIERS.map((tier) => ({ name: topicName(prefix, Topics[tier.topic]), partitions })),
    { name: topicName(prefix, Topics.deadLetters), partitions },
    { name: topicName(prefix, Topics.orderedDeliveries), partitions, compacted: true },
    { name: topicName(prefix, Topics.notifications), partitions },
    { name: topicName(prefix, Topics.disableRequests), partitions },
  ];
}

export function idempotencyKeysTopicSpec(prefix: string, partitions: number, windowSeconds: number): TopicSpec {
  return {
    name: topicName(prefix, Topics.idempotencyKeys),
    partitions,
    compacted: true,
    retentionMs: windowSeconds * 1000,
  };
}

/** Resolved topic names for one deployment. */
export type TopicNames = { [K in keyof typeof Topics]: string };

export function resolveTopics(prefix: string): TopicNames {
  const out = {} as { -readonly [K in keyof TopicNames]: string };
  for (const [key, name] of Object.entries(Topics)) {
    out[key as keyof typeof Topics] = topicName(prefix, name);
  }
  return out;
}
