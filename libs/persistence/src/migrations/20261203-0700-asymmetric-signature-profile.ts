import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `v1a` becomes opt-in (profile `asymmetric`): webhooks signed with v1a today (key pair + standard) keep it. */
export class AsymmetricSignatureProfile1795392700000 implements MigrationInterface {
  name = 'AsymmetricSignatureProfile1795392700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE webhooks SET signature_profiles = array_append(signature_profiles, 'asymmetric')
       WHERE public_key IS NOT NULL AND private_key IS NOT NULL
         AND 'standard' = ANY (signature_profiles) AND NOT 'asymmetric' = ANY (signature_profiles)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE webhooks SET signature_profiles = array_remove(signature_profiles, 'asymmetric')`);
  }
}
