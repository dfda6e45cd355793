import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A recovery job is run by one audit-log replica at a time: the one holding an unexpired claim. */
export class AddRecoveryClaims1795392500000 implements MigrationInterface {
  name = 'AddRecoveryClaims1795392500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE recoveries ADD COLUMN claimed_by text, ADD COLUMN claimed_until timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE recoveries DROP COLUMN claimed_by, DROP COLUMN claimed_until');
  }
}
