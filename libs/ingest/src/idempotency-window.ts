import { createHash } from 'node:crypto';
import type { IdempotencyKeyRecord } from '@herald/contracts';

/** The durable, shared side of the window (the compacted topic; a fake in unit tests). */
export interface IdempotencyLog {
  /** Applies what other instances wrote up to now; never throws (a lagging log only weakens dedupe). */
  catchUp(): Promise<void>;
  /** Records an accepted key once its event is published; never throws (see IdempotencyKeyLog). */
  write(key: string, record: IdempotencyKeyRecord): Promise<void>;
}

export interface IdempotencyWindowOptions {
  windowMs: number;
  /** Most keys kept in memory; beyond it the oldest recorded are forgotten first. */
  maxKeys: number;
  now?: () => number;
}

/** The event asking in: its id, its content's fingerprint, and when it was received (default: now). */
export interface AdmissionCandidate {
  eventId: string;
  fingerprint: string;
  receivedAt?: string;
}

export type Admission =
  /** First time in the window: published now. */
  | { outcome: 'accepted'; record: IdempotencyKeyRecord }
  /** Same key, same content: not published again; the first event's id and time. */
  | { outcome: 'duplicate'; record: IdempotencyKeyRecord }
  /** Same key, different content: refused. */
  | { outcome: 'conflict'; record: IdempotencyKeyRecord };

/** Flat, with the time as a number: at a million keys each byte per entry is a megabyte. */
interface Entry {
  eventId: string;
  fingerprint: string;
  acceptedAtMs: number;
}

/**
 * The local map is updated as soon as an event is published, so repeats to one instance are
 * always caught; the log shares it with other instances and restarts.
 */
export class IdempotencyWindow {
  // A Map iterates in insertion order, and records are inserted about in acceptance order:
  // its head is the oldest, which is what eviction and expiry remove.
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Admission>>();
  private readonly now: () => number;

  constructor(
    private readonly options: IdempotencyWindowOptions,
    private readonly log: IdempotencyLog,
  ) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The unexpired record of a key. */
  get(key: string): IdempotencyKeyRecord | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.expired(entry, this.now())) {
      this.entries.delete(key);
      return undefined;
    }
    return {
      eventId: entry.eventId,
      fingerprint: entry.fingerprint,
      acceptedAt: new Date(entry.acceptedAtMs).toISOString(),
    };
  }

  /** A record read from the log (null: a tombstone). Expired records are not kept. */
  apply(key: string, record: IdempotencyKeyRecord | null): void {
    if (record === null) {
      this.entries.delete(key);
      return;
    }
    const entry: Entry = {
      eventId: record.eventId,
      fingerprint: record.fingerprint,
      acceptedAtMs: Date.parse(record.acceptedAt),
    };
    const now = this.now();
    this.entries.delete(key);
    // NaN (an unreadable time) counts as expired.
    if (!(entry.acceptedAtMs + this.options.windowMs > now)) return;
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxKeys) this.dropOldest();
    // Amortised: each record is dropped once, and only from the head while it has expired.
    for (const [oldest, head] of this.entries) {
      if (!this.expired(head, now)) break;
      this.entries.delete(oldest);
    }
  }

  private expired(entry: Entry, now: number): boolean {
    return entry.acceptedAtMs + this.options.windowMs <= now;
  }

  /**
   * Concurrent requests for one key are serialised: the second waits for the first's outcome, then
   * sees its record (or, if the first failed, tries itself).
   */
  async admit(key: string, candidate: AdmissionCandidate, publish: () => Promise<void>): Promise<Admission> {
    for (let pending = this.inFlight.get(key); pending; pending = this.inFlight.get(key)) {
      await pending.catch(() => undefined);
    }
    const known = this.get(key);
    if (known) return decide(known, candidate.fingerprint);
    const run = this.first(key, candidate, publish);
    this.inFlight.set(key, run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async first(key: string, candidate: AdmissionCandidate, publish: () => Promise<void>): Promise<Admission> {
    // Another instance may have accepted the key moments ago.
    await this.log.catchUp();
    const known = this.get(key);
    if (known) return decide(known, candidate.fingerprint);
    // The event first, then its key: a crash in between republishes a repeat with the same
    // (derived) eventId, which the matcher fans out once; the other order could lose the event.
    await publish();
    const record: IdempotencyKeyRecord = {
      eventId: candidate.eventId,
      fingerprint: candidate.fingerprint,
      // The envelope's receivedAt, so a duplicate answer repeats the first answer's time.
      acceptedAt: candidate.receivedAt ?? new Date(this.now()).toISOString(),
    };
    this.apply(key, record);
    await this.log.write(key, record);
    return { outcome: 'accepted', record };
  }

  private dropOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}

function decide(record: IdempotencyKeyRecord, fingerprint: string): Admission {
  return record.fingerprint === fingerprint ? { outcome: 'duplicate', record } : { outcome: 'conflict', record };
}

/** sha256 (hex) of a value's canonical JSON (object keys sorted at every level). */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.keys(value)
      .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}
