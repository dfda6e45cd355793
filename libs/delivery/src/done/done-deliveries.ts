import type { Logger } from 'pino';

export interface DoneDeliveriesOptions {
  /** Attempts this recent (ms) are read back when a partition is newly assigned; 0 turns dedupe off. */
  windowMs: number;
  /** At most this many attempt records read back per partition (the newest). */
  maxRecordsPerPartition?: number;
  /** Delivery ids remembered; the oldest are forgotten first. */
  capacity?: number;
  /** A read taking longer is given up (logged): deliveries go on, at least once. */
  readTimeoutMs?: number;
}

export const DEFAULT_DEDUPE_WINDOW_MS = 600_000;
const DEFAULT_MAX_RECORDS_PER_PARTITION = 10_000;
// About 17 MB of ids when full.
const DEFAULT_CAPACITY = 100_000;
const DEFAULT_READ_TIMEOUT_MS = 30_000;

export interface DoneDeliveriesDeps {
  /** Delivery ids with a final attempt on these partitions since `since` (epoch ms). */
  readTail: (
    partitions: number[],
    since: number,
    limits: { maxRecordsPerPartition: number; timeoutMs: number },
  ) => Promise<{ done: string[]; records: number; complete: boolean }>;
  logger: Logger;
  now?: () => number;
}

/**
 * Deliveries whose outcome is final: read back from `webhooks.attempts` when a partition is newly
 * assigned, then kept up to date with this process's own final steps. A task of one is not sent again.
 */
export class DoneDeliveries {
  private readonly ids = new Set<string>();
  /** Reads in progress, by partition: sends from that partition wait for them. */
  private readonly loading = new Map<number, Promise<void>>();
  /** Partitions each consumer group had in its last assignment. */
  private readonly owned = new Map<string, ReadonlySet<number>>();
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(
    private readonly options: DoneDeliveriesOptions,
    private readonly deps: DoneDeliveriesDeps,
  ) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.now = deps.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.windowMs > 0;
  }

  get size(): number {
    return this.ids.size;
  }

  has(deliveryId: string): boolean {
    return this.ids.has(deliveryId);
  }

  add(deliveryId: string): void {
    if (!this.enabled) return;
    this.ids.delete(deliveryId);
    this.ids.add(deliveryId);
    // A Set iterates in insertion order: the first is the oldest.
    for (const oldest of this.ids) {
      if (this.ids.size <= this.capacity) break;
      this.ids.delete(oldest);
    }
  }

  /**
   * A group's new assignment: partitions it did not have are read back (another process may have
   * delivered from them). Resolves once they are; never rejects.
   */
  assigned(group: string, partitions: readonly number[]): Promise<void> {
    const before = this.owned.get(group) ?? new Set<number>();
    this.owned.set(group, new Set(partitions));
    // A read already under way for another group covers these partitions too.
    const fresh = partitions.filter((partition) => !before.has(partition) && !this.loading.has(partition));
    if (this.enabled && fresh.length > 0) {
      const load = this.read(fresh);
      for (const partition of fresh) this.loading.set(partition, load);
      void load.then(() => {
        for (const partition of fresh) if (this.loading.get(partition) === load) this.loading.delete(partition);
      });
    }
    return Promise.all(partitions.map((partition) => this.ready(partition))).then(() => undefined);
  }

  /** The read of this partition still in progress, or null when sends from it may go ahead. */
  ready(partition: number): Promise<void> | null {
    return this.loading.get(partition) ?? null;
  }

  private async read(partitions: number[]): Promise<void> {
    const started = this.now();
    const since = started - this.options.windowMs;
    try {
      const tail = await this.deps.readTail(partitions, since, {
        maxRecordsPerPartition: this.options.maxRecordsPerPartition ?? DEFAULT_MAX_RECORDS_PER_PARTITION,
        timeoutMs: this.options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
      });
      for (const id of tail.done) this.add(id);
      const read = { partitions, records: tail.records, done: tail.done.length, ms: this.now() - started };
      if (tail.complete) this.deps.logger.info(read, 'recent final attempts read back');
      else this.deps.logger.warn(read, 'recent final attempts read back in part (timed out); deliveries go on');
    } catch (error) {
      this.deps.logger.warn(
        { err: error, partitions },
        'could not read recent attempts back; deliveries go on without skipping finished ones',
      );
    }
  }
}
