import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempts are partitioned by day on `started_at` so retention can drop whole partitions.
 * The default partition catches rows outside the prepared days, so nothing is ever refused.
 */
export class CreateDeliveryAttempts1795392000002 implements MigrationInterface {
  name = 'CreateDeliveryAttempts1795392000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery_attempts (
        attempt_id       text NOT NULL,
        delivery_id      text NOT NULL,
        event_id         text NOT NULL,
        event_type       text NOT NULL,
        webhook_id       text NOT NULL,
        tenant_id        text NOT NULL,
        attempt          integer NOT NULL,
        request          jsonb NOT NULL,
        response         jsonb,
        outcome          text NOT NULL,
        error            text,
        started_at       timestamptz NOT NULL,
        duration_ms      double precision NOT NULL,
        next_attempt_at  timestamptz,
        dead_lettered    boolean NOT NULL DEFAULT false,
        stored_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (attempt_id, started_at)
      ) PARTITION BY RANGE (started_at)`);
    await q.query('CREATE TABLE delivery_attempts_default PARTITION OF delivery_attempts DEFAULT');
    await q.query(
      'CREATE INDEX delivery_attempts_webhook_idx ON delivery_attempts (tenant_id, webhook_id, started_at DESC, attempt_id DESC)',
    );
    await q.query('CREATE INDEX delivery_attempts_event_idx ON delivery_attempts (tenant_id, event_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE delivery_attempts');
  }
}
