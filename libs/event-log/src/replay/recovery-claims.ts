import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { RecoveryCursor } from './recovery.entity';

/**
 * Leases, so each job runs on exactly one replica; a dead replica's job is taken over from its
 * saved cursor once the lease runs out.
 */
export class RecoveryClaims {
  readonly owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly dataSource: DataSource,
    readonly leaseMs = 30_000,
  ) {}

  /** True if this replica now holds the job (it was free, expired, or already ours). */
  async claim(recoveryId: string): Promise<boolean> {
    const [, count] = await this.dataSource.query(
      `UPDATE recoveries SET claimed_by = $2, claimed_until = now() + $3 * interval '1 millisecond'
        WHERE recovery_id = $1 AND status = 'running'
          AND (claimed_by IS NULL OR claimed_by = $2 OR claimed_until < now())`,
      [recoveryId, this.owner, this.leaseMs],
    );
    return count === 1;
  }

  /** Saves progress and extends the lease; false when the lease was lost (another replica took over). */
  async renew(recoveryId: string, cursor: RecoveryCursor | null, scheduled: number): Promise<boolean> {
    const [, count] = await this.dataSource.query(
      `UPDATE recoveries SET cursor = $3, scheduled = $4, claimed_until = now() + $5 * interval '1 millisecond'
        WHERE recovery_id = $1 AND claimed_by = $2 AND status = 'running'`,
      [recoveryId, this.owner, cursor ? JSON.stringify(cursor) : null, scheduled, this.leaseMs],
    );
    return count === 1;
  }

  /** Running jobs nobody holds (never claimed, or their replica stopped renewing). */
  async orphans(): Promise<string[]> {
    const rows: { recovery_id: string }[] = await this.dataSource.query(
      `SELECT recovery_id FROM recoveries WHERE status = 'running' AND (claimed_by IS NULL OR claimed_until < now())`,
    );
    return rows.map((r) => r.recovery_id);
  }
}
