import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NOTIFY herald_outbox when outbox rows commit, so every relay (any replica) is woken by the
 * write instead of polling. Per statement: one notification however many rows.
 */
export class NotifyOutbox1795392600000 implements MigrationInterface {
  name = 'NotifyOutbox1795392600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION herald_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('herald_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION herald_outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER outbox_notify ON outbox');
    await q.query('DROP FUNCTION herald_outbox_notify()');
  }
}
