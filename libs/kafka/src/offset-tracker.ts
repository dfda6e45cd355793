/**
 * Commits only below the lowest unfinished offset, so a crash loses nothing when messages finish
 * out of order; it can only repeat work.
 */
export class OffsetTracker {
  private readonly pending = new Set<bigint>();
  /** Highest offset started plus one: what to commit once nothing is pending. */
  private next: bigint | null = null;
  private lastCommitted: bigint | null = null;

  get inFlight(): number {
    return this.pending.size;
  }

  start(offset: string): void {
    const value = BigInt(offset);
    this.pending.add(value);
    if (this.next === null || value + 1n > this.next) this.next = value + 1n;
  }

  finish(offset: string): void {
    this.pending.delete(BigInt(offset));
  }

  /** The offset to commit now, or null when nothing new can be committed. */
  committable(): string | null {
    if (this.next === null) return null;
    let candidate = this.next;
    for (const offset of this.pending) if (offset < candidate) candidate = offset;
    if (this.lastCommitted !== null && candidate <= this.lastCommitted) return null;
    return candidate.toString();
  }

  markCommitted(offset: string): void {
    const value = BigInt(offset);
    if (this.lastCommitted === null || value > this.lastCommitted) this.lastCommitted = value;
  }
}
