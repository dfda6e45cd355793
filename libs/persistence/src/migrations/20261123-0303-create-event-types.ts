import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The event-type catalog: names webhooks may subscribe to, each with an optional JSON Schema. */
export class CreateEventTypes1795392300300 implements MigrationInterface {
  name = 'CreateEventTypes1795392300300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_types (
        name          varchar(128) PRIMARY KEY,
        description   text,
        schema        jsonb,
        deprecated    boolean NOT NULL DEFAULT false,
        version       integer NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_types');
  }
}
