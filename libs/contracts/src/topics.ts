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
  /** Attempt, event and audit records audit-log could not read, with the reason. */
  eventLogDlq: 'webhooks.event-log.dlq',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  name: string;
  partitions: number;
  compacted?: boolean;
  retentionMs?: number;
}

/** Prefixes a logical topic name. */
export function topicName(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

/** The topics Herald creates, with their partition counts and cleanup policies. */
export function heraldTopicSpecs(prefix: string, partitions: number): TopicSpec[] {
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
    { name: topicName(prefix, Topics.eventLogDlq), partitions: 1 },
  ];
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
