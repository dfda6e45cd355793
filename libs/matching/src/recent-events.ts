import { LRUCache } from 'lru-cache';

export interface RecentEventsOptions {
  /** Most event ids remembered; the least recently fanned out are forgotten first. */
  max: number;
  /** How long an id is remembered after its fan-out. */
  ttlMs: number;
}

/**
 * Event ids fanned out lately, so a second envelope with the same id (two event-ingest instances
 * racing on one idempotency key, or a re-publish after an ingest crash) is not fanned out again.
 * Both copies share the tenant's partition, so the same matcher sees them within moments.
 */
export class RecentEvents {
  private readonly done: LRUCache<string, true>;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: RecentEventsOptions) {
    this.done = new LRUCache<string, true>({ max: options.max, ttl: options.ttlMs, ttlAutopurge: false });
  }

  /**
   * Runs `fanOut` unless the id was fanned out already (or is being fanned out and succeeds):
   * true when it ran. A failed fan-out is not remembered, so its retry runs again.
   */
  async once(eventId: string, fanOut: () => Promise<unknown>): Promise<boolean> {
    for (let pending = this.inFlight.get(eventId); pending; pending = this.inFlight.get(eventId)) {
      await pending.catch(() => undefined);
    }
    if (this.done.has(eventId)) return false;
    const run = fanOut();
    this.inFlight.set(eventId, run);
    try {
      await run;
      this.done.set(eventId, true);
      return true;
    } finally {
      this.inFlight.delete(eventId);
    }
  }
}
