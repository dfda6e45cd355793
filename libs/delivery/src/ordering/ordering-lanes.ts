import { orderingLaneOf, type DeliveryTask, type OrderedDelivery } from '@herald/contracts';

/** What became of a lane's head: finished (delivered, gone or dead-lettered), or due again at `task.notBefore`. */
export type LaneOutcome = { kind: 'done' } | { kind: 'wait'; task: DeliveryTask };

export interface OrderingLanesDeps {
  /** Writes new entries durably (resolves once Kafka has them). */
  save: (entries: OrderedDelivery[]) => Promise<void>;
  /** One attempt of a lane's head; resolves once its step and the entry's new state are durable. */
  run: (entry: OrderedDelivery) => Promise<LaneOutcome>;
  /** A run that threw: logged by the caller; the head is tried again after `retryMs`. */
  failed: (entry: OrderedDelivery, error: unknown) => void;
  retryMs?: number;
  now?: () => number;
}

interface Lane {
  partition: number;
  /** Sorted by seq; `entries[0]` is the head. */
  entries: OrderedDelivery[];
  running: boolean;
  timer: NodeJS.Timeout | null;
  closed: boolean;
}

/**
 * Per (webhook, orderingKey) FIFO: one delivery of a lane at a time, the next only once the head
 * is delivered or dead-lettered. A waiting head holds its own lane only.
 */
export class OrderingLanes {
  private readonly lanes = new Map<string, Lane>();
  /** Every delivery id in a lane or being saved: a delivery read twice joins once. */
  private readonly present = new Set<string>();
  /** Partitions this process owns; null until the first assignment (all). */
  private owned: ReadonlySet<number> | null = null;
  private lastSave: Promise<void> = Promise.resolve();
  private stopped = false;
  private pendingSave: { entries: OrderedDelivery[]; done: Promise<void> } | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: OrderingLanesDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Deliveries waiting or in flight across lanes. */
  get size(): number {
    return this.present.size;
  }

  /** Adds a delivery read from the deliveries topic; resolves once it is durable (its offset may commit). */
  enqueue(entry: OrderedDelivery): Promise<void> {
    const id = entry.task.deliveryId;
    if (this.present.has(id)) return Promise.resolve();
    this.present.add(id);
    const save = this.batchSave(entry);
    return save.then(
      () => this.insert(entry),
      (error: unknown) => {
        this.present.delete(id);
        throw error;
      },
    );
  }

  /** Entries read back after a restart or a rebalance (already durable). */
  restore(entries: Iterable<OrderedDelivery>): void {
    // In seq order: a lane starts its head as soon as it has one.
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      if (this.present.has(entry.task.deliveryId)) continue;
      this.present.add(entry.task.deliveryId);
      this.insert(entry);
    }
  }

  /** Keeps the lanes of these partitions; the others now belong to another process. */
  retain(partitions: ReadonlySet<number>): void {
    this.owned = partitions;
    for (const [name, lane] of this.lanes) if (!partitions.has(lane.partition)) this.closeLane(name, lane);
  }

  close(): void {
    this.stopped = true;
    for (const [name, lane] of this.lanes) this.closeLane(name, lane);
  }

  private closeLane(name: string, lane: Lane): void {
    lane.closed = true;
    if (lane.timer) clearTimeout(lane.timer);
    for (const entry of lane.entries) this.present.delete(entry.task.deliveryId);
    this.lanes.delete(name);
  }

  /**
   * Entries saved meanwhile go out in one write; writes go one after another, each retried until
   * Kafka has it, so no delivery is durable (or in its lane) before an earlier one.
   */
  private batchSave(entry: OrderedDelivery): Promise<void> {
    if (this.pendingSave) {
      this.pendingSave.entries.push(entry);
      return this.pendingSave.done;
    }
    const entries = [entry];
    const done = this.lastSave
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        this.pendingSave = null;
        return this.saveUntilDone(entries);
      });
    this.pendingSave = { entries, done };
    this.lastSave = done.catch(() => undefined);
    return done;
  }

  private async saveUntilDone(entries: OrderedDelivery[]): Promise<void> {
    for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
      try {
        return await this.deps.save(entries);
      } catch (error) {
        if (this.stopped) throw error;
        this.deps.failed(entries[0], error);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private insert(entry: OrderedDelivery): void {
    const name = orderingLaneOf(entry.task)!;
    if (this.owned && !this.owned.has(entry.partition)) {
      this.present.delete(entry.task.deliveryId);
      return;
    }
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { partition: entry.partition, entries: [], running: false, timer: null, closed: false };
      this.lanes.set(name, lane);
    }
    // Never ahead of a head already being sent.
    const from = lane.running ? 1 : 0;
    let at = lane.entries.length;
    while (at > from && lane.entries[at - 1].seq > entry.seq) at -= 1;
    lane.entries.splice(at, 0, entry);
    this.pump(name, lane);
  }

  private pump(name: string, lane: Lane): void {
    if (lane.closed || lane.running) return;
    const head = lane.entries[0];
    if (!head) {
      this.lanes.delete(name);
      return;
    }
    if (lane.timer) {
      clearTimeout(lane.timer);
      lane.timer = null;
    }
    const wait = head.task.notBefore - this.now();
    if (wait > 0) {
      lane.timer = setTimeout(() => {
        lane.timer = null;
        this.pump(name, lane);
      }, wait);
      lane.timer.unref();
      return;
    }
    lane.running = true;
    void this.deps.run(head).then(
      (outcome) => {
        lane.running = false;
        if (lane.closed) return;
        if (outcome.kind === 'done') {
          lane.entries.shift();
          this.present.delete(head.task.deliveryId);
        } else {
          lane.entries[0] = { ...head, task: outcome.task };
        }
        this.pump(name, lane);
      },
      (error: unknown) => {
        lane.running = false;
        if (lane.closed) return;
        this.deps.failed(head, error);
        lane.entries[0] = { ...head, task: { ...head.task, notBefore: this.now() + (this.deps.retryMs ?? 1000) } };
        this.pump(name, lane);
      },
    );
  }
}
