import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateDatabase } from '@herald/persistence';
import { createTestDatabase } from '@herald/testing';
import { RecoveryClaims } from './recovery-claims';

jest.setTimeout(60_000);

describe('recovery claims on real PostgreSQL', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrateDatabase(url);
    dataSource = await new DataSource(dataSourceOptions(url, [], 4)).initialize();
    await dataSource.query(
      `INSERT INTO recoveries (recovery_id, tenant_id, webhook_id, since, rate_per_second, status, requested_by)
       VALUES ('rcv_1', 't', 'wh_1', now() - interval '1 hour', 5, 'running', 'key_1')`,
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('lets exactly one replica run a job, and another take it over from its saved cursor once the lease expires', async () => {
    const a = new RecoveryClaims(dataSource, 400);
    const b = new RecoveryClaims(dataSource, 400);
    expect(await a.orphans()).toEqual(['rcv_1']);

    const won = await Promise.all([a.claim('rcv_1'), b.claim('rcv_1')]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const [holder, other] = won[0] ? [a, b] : [b, a];
    expect(await holder.claim('rcv_1')).toBe(true);
    expect(await other.renew('rcv_1', null, 0)).toBe(false);
    expect(await holder.renew('rcv_1', { startedAt: '2026-01-01T00:00:00.000Z', eventId: 'evt_7' }, 7)).toBe(true);
    expect(await holder.orphans()).toEqual([]);

    // The holder stops renewing (its process died): after the lease the job is an orphan again.
    await new Promise((r) => setTimeout(r, 600));
    expect(await other.orphans()).toEqual(['rcv_1']);
    expect(await other.claim('rcv_1')).toBe(true);
    expect(await holder.renew('rcv_1', null, 8)).toBe(false);
    const [row] = await dataSource.query(
      "SELECT cursor, scheduled, claimed_by FROM recoveries WHERE recovery_id = 'rcv_1'",
    );
    expect(row).toEqual({
      cursor: { startedAt: '2026-01-01T00:00:00.000Z', eventId: 'evt_7' },
      scheduled: 7,
      claimed_by: other.owner,
    });

    await dataSource.query("UPDATE recoveries SET status = 'completed' WHERE recovery_id = 'rcv_1'");
    expect(await other.claim('rcv_1')).toBe(false);
  });
});
