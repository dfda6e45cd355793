import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rest of audit-log's store. `messages` and `audit_records` are partitioned by day like
 * `delivery_attempts`, so retention drops whole partitions.
 */
export class CreateEventLogTables1795392100000 implements MigrationInterface {
  name = 'CreateEventLogTables1795392100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE messages (
        event_id         text NOT NULL,
        tenant_id        text NOT NULL,
        event_type       text NOT NULL,
        occurred_at      timestamptz NOT NULL,
        received_at      timestamptz NOT NULL,
        source           text NOT NULL,
        schema_version   integer NOT NULL,
        data             jsonb NOT NULL,
        idempotency_key  text,
        stored_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, event_id, received_at)
      ) PARTITION BY RANGE (received_at)`);
    await q.query('CREATE TABLE messages_default PARTITION OF messages DEFAULT');
    await q.query('CREATE INDEX messages_tenant_time_idx ON messages (tenant_id, received_at DESC, event_id DESC)');
    await q.query('CREATE INDEX messages_tenant_type_idx ON messages (tenant_id, event_type, received_at DESC)');

    await q.query(`
      CREATE TABLE audit_records (
        audit_id       text NOT NULL,
        tenant_id      text NOT NULL,
        occurred_at    timestamptz NOT NULL,
        actor          jsonb NOT NULL,
        action         text NOT NULL,
        resource_type  text NOT NULL,
        resource_id    text NOT NULL,
        before         jsonb,
        after          jsonb,
        request_id     text,
        stored_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (audit_id, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query('CREATE TABLE audit_records_default PARTITION OF audit_records DEFAULT');
    await q.query(
      'CREATE INDEX audit_records_tenant_time_idx ON audit_records (tenant_id, occurred_at DESC, audit_id DESC)',
    );
    await q.query('CREATE INDEX audit_records_resource_idx ON audit_records (tenant_id, resource_id)');

    await q.query(`
      CREATE TABLE webhook_stats (
        webhook_id         text PRIMARY KEY,
        tenant_id          text NOT NULL,
        attempts_total     bigint NOT NULL DEFAULT 0,
        successes_total    bigint NOT NULL DEFAULT 0,
        last_triggered_at  timestamptz,
        last_outcome       text,
        last_error         text,
        last_error_at      timestamptz,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE delivery_replays (
        delivery_id   text PRIMARY KEY,
        replay_of     text NOT NULL,
        trigger       text NOT NULL CHECK (trigger IN ('redelivery', 'recovery')),
        tenant_id     text NOT NULL,
        event_id      text NOT NULL,
        webhook_id    text NOT NULL,
        recovery_id   text,
        requested_by  text NOT NULL,
        requested_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX delivery_replays_original_idx ON delivery_replays (replay_of)');

    await q.query(`
      CREATE TABLE recoveries (
        recovery_id      text PRIMARY KEY,
        tenant_id        text NOT NULL,
        webhook_id       text NOT NULL,
        since            timestamptz NOT NULL,
        until            timestamptz,
        rate_per_second  integer NOT NULL,
        status           text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        cursor           jsonb,
        scheduled        integer NOT NULL DEFAULT 0,
        error            text,
        requested_by     text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz
      )`);
    await q.query('CREATE INDEX recoveries_tenant_idx ON recoveries (tenant_id, created_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['recoveries', 'delivery_replays', 'webhook_stats', 'audit_records', 'messages']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
