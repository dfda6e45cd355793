/** The API representations the portal reads (the subset it uses). */
export type WebhookStatus = 'ACTIVE' | 'INACTIVE' | 'DISABLED';

export interface Webhook {
  id: string;
  name: string | null;
  url: string;
  events: string[];
  status: WebhookStatus;
  active: boolean;
  disabledReason: string | null;
  version: number;
  lastTriggeredAt: string | null;
  creationDate: string;
  /** CEL payload filter; null: every event of the listed types. */
  filter?: string | null;
  /** Attempt timeout (ms); null: the deployment's. */
  timeoutMs?: number | null;
  secret?: string;
  /** Kept by audit-log from every attempt; absent in write responses. */
  deliveryStats?: DeliveryStats;
}

export interface DeliveryStats {
  attempts: number;
  successes: number;
  successRate: number | null;
  lastOutcome: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** The deliverer's adaptive limit on requests in flight, as of the latest attempt. */
  concurrencyLimit?: number | null;
}

export type AttemptOutcome = 'success' | 'http_error' | 'timeout' | 'network' | 'blocked' | 'gone' | 'cancelled';

export interface Attempt {
  attemptId: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  webhookId: string;
  attempt: number;
  request: { url: string; method: string; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string; bodyTruncated: boolean } | null;
  outcome: AttemptOutcome;
  error: string | null;
  startedAt: string;
  durationMs: number;
  nextAttemptAt: string | null;
  deadLettered: boolean;
  /** Why this attempt was made: the event itself, a retry, or an admin's redelivery/recovery/test. */
  trigger?: 'event' | 'retry' | 'redelivery' | 'recovery' | 'test';
  replayOf?: string | null;
}

export interface Recovery {
  recoveryId: string;
  webhookId: string;
  since: string;
  status: 'running' | 'completed' | 'failed' | string;
  scheduled: number;
  error: string | null;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface EventType {
  name: string;
  description?: string | null;
  deprecated?: boolean;
}
