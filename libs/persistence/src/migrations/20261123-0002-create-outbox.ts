import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1795392000001 implements MigrationInterface {
  name = 'CreateOutbox1795392000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id         bigserial PRIMARY KEY,
        topic      text NOT NULL,
        key        text,
        value      jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE outbox');
  }
}
