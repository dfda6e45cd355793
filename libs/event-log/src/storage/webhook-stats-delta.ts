import type { DeliveryAttempt } from '../attempts/delivery-attempt.entity';

/** What a batch of newly stored attempts adds to one webhook's statistics. */
export interface WebhookStatsDelta {
  webhookId: string;
  tenantId: string;
  attempts: number;
  successes: number;
  lastTriggeredAt: Date;
  lastOutcome: string;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** The adaptive concurrency limit of the latest attempt that carried one. */
  concurrencyLimit: number | null;
}

/**
 * Sums newly stored attempts per webhook, sorted by webhook id (so concurrent batches lock the
 * stats rows in one order). Cancelled attempts were never sent and do not count.
 */
export function webhookStatsDeltas(rows: DeliveryAttempt[]): WebhookStatsDelta[] {
  const byWebhook = new Map<string, WebhookStatsDelta>();
  for (const row of rows) {
    if (row.outcome === 'cancelled') continue;
    let delta = byWebhook.get(row.webhookId);
    if (!delta) {
      delta = {
        webhookId: row.webhookId,
        tenantId: row.tenantId,
        attempts: 0,
        successes: 0,
        lastTriggeredAt: row.startedAt,
        lastOutcome: row.outcome,
        lastError: null,
        lastErrorAt: null,
        concurrencyLimit: null,
      };
      byWebhook.set(row.webhookId, delta);
    }
    delta.attempts += 1;
    if (row.outcome === 'success') delta.successes += 1;
    if (row.startedAt >= delta.lastTriggeredAt) {
      delta.lastTriggeredAt = row.startedAt;
      delta.lastOutcome = row.outcome;
      delta.concurrencyLimit = row.concurrencyLimit ?? delta.concurrencyLimit;
    }
    if (row.outcome !== 'success' && (!delta.lastErrorAt || row.startedAt >= delta.lastErrorAt)) {
      delta.lastErrorAt = row.startedAt;
      delta.lastError = row.error ?? row.outcome;
    }
  }
  return [...byWebhook.values()].sort((a, b) => (a.webhookId < b.webhookId ? -1 : 1));
}

/** Adds the deltas; `last*` fields move only forward in time, so batches may arrive in any order. */
export const UPSERT_WEBHOOK_STATS_SQL = `
  INSERT INTO webhook_stats AS s
    (webhook_id, tenant_id, attempts_total, successes_total, last_triggered_at, last_outcome, last_error, last_error_at, concurrency_limit, updated_at)
  SELECT * , now() FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::text[], $7::text[], $8::timestamptz[], $9::integer[])
  ON CONFLICT (webhook_id) DO UPDATE SET
    attempts_total = s.attempts_total + EXCLUDED.attempts_total,
    successes_total = s.successes_total + EXCLUDED.successes_total,
    last_outcome = CASE WHEN s.last_triggered_at IS NULL OR EXCLUDED.last_triggered_at >= s.last_triggered_at
                        THEN EXCLUDED.last_outcome ELSE s.last_outcome END,
    concurrency_limit = CASE WHEN EXCLUDED.concurrency_limit IS NOT NULL AND (s.last_triggered_at IS NULL OR EXCLUDED.last_triggered_at >= s.last_triggered_at)
                             THEN EXCLUDED.concurrency_limit ELSE s.concurrency_limit END,
    last_triggered_at = GREATEST(s.last_triggered_at, EXCLUDED.last_triggered_at),
    last_error = CASE WHEN EXCLUDED.last_error_at IS NOT NULL AND (s.last_error_at IS NULL OR EXCLUDED.last_error_at >= s.last_error_at)
                      THEN EXCLUDED.last_error ELSE s.last_error END,
    last_error_at = GREATEST(s.last_error_at, EXCLUDED.last_error_at),
    updated_at = now()`;

export function upsertWebhookStatsParams(deltas: WebhookStatsDelta[]): unknown[] {
  return [
    deltas.map((d) => d.webhookId),
    deltas.map((d) => d.tenantId),
    deltas.map((d) => d.attempts),
    deltas.map((d) => d.successes),
    deltas.map((d) => d.lastTriggeredAt),
    deltas.map((d) => d.lastOutcome),
    deltas.map((d) => d.lastError),
    deltas.map((d) => d.lastErrorAt),
    deltas.map((d) => d.concurrencyLimit),
  ];
}
