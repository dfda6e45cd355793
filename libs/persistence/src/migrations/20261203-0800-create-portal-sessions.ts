import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Portal sessions: a one-time link token and, once opened, a cookie token; both stored as SHA-256 hashes. */
export class CreatePortalSessions1795392800000 implements MigrationInterface {
  name = 'CreatePortalSessions1795392800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portal_sessions (
        id            text PRIMARY KEY,
        tenant_id     text NOT NULL,
        scope         text NOT NULL CHECK (scope IN ('full', 'read-only')),
        webhook_ids   text[],
        event_types   text[],
        branding      jsonb,
        link_hash     text NOT NULL UNIQUE,
        session_hash  text UNIQUE,
        created_by    jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        opened_at     timestamptz,
        revoked_at    timestamptz
      )`);
    await q.query('CREATE INDEX portal_sessions_tenant_idx ON portal_sessions (tenant_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE portal_sessions');
  }
}
