import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Written by audit-log once per stored attempt, so replaying `webhooks.attempts` does not count twice;
 * read by subscription-api for `lastTriggeredAt`, the success rate and the last error.
 */
@Entity({ name: 'webhook_stats' })
export class WebhookStats {
  @PrimaryColumn({ name: 'webhook_id', type: 'text' }) webhookId!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  /** bigint arrives as a string from pg. */
  @Column({ name: 'attempts_total', type: 'bigint' }) attemptsTotal!: string;
  @Column({ name: 'successes_total', type: 'bigint' }) successesTotal!: string;
  @Column({ name: 'last_triggered_at', type: 'timestamptz', nullable: true }) lastTriggeredAt!: Date | null;
  @Column({ name: 'last_outcome', type: 'text', nullable: true }) lastOutcome!: string | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true }) lastErrorAt!: Date | null;
  /** The deliverer's adaptive limit on requests in flight, as of the latest attempt. */
  @Column({ name: 'concurrency_limit', type: 'integer', nullable: true }) concurrencyLimit!: number | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** The API view: counts and a success rate (null before the first attempt). */
export function toDeliveryStatsResponse(stats: WebhookStats | null | undefined) {
  const attempts = stats ? Number(stats.attemptsTotal) : 0;
  const successes = stats ? Number(stats.successesTotal) : 0;
  return {
    attempts,
    successes,
    successRate: attempts === 0 ? null : Math.round((successes / attempts) * 10_000) / 10_000,
    lastOutcome: stats?.lastOutcome ?? null,
    lastError: stats?.lastError ?? null,
    lastErrorAt: stats?.lastErrorAt ? stats.lastErrorAt.toISOString() : null,
    concurrencyLimit: stats?.concurrencyLimit ?? null,
  };
}

/**
 * Statistics of several webhooks, by id, read with plain SQL so a service can read them without
 * mapping the entity (subscription-api reads, audit-log writes).
 */
export async function loadWebhookStats(
  db: { query: (sql: string, params: unknown[]) => Promise<any[]> },
  webhookIds: string[],
): Promise<Map<string, WebhookStats>> {
  if (webhookIds.length === 0) return new Map();
  const rows = await db.query(
    `SELECT webhook_id, tenant_id, attempts_total, successes_total, last_triggered_at, last_outcome, last_error, last_error_at, concurrency_limit, updated_at
       FROM webhook_stats WHERE webhook_id = ANY($1)`,
    [webhookIds],
  );
  return new Map(
    rows.map((r) => [
      r.webhook_id as string,
      Object.assign(new WebhookStats(), {
        webhookId: r.webhook_id,
        tenantId: r.tenant_id,
        attemptsTotal: String(r.attempts_total),
        successesTotal: String(r.successes_total),
        lastTriggeredAt: r.last_triggered_at,
        lastOutcome: r.last_outcome,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at,
        concurrencyLimit: r.concurrency_limit,
        updatedAt: r.updated_at,
      }),
    ]),
  );
}
