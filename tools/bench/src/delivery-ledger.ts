/** FNV-1a, 32 bits: a cheap, stable hash of one (event, webhook) pair for the ledger checksum. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const pairKey = (eventId: string, webhookId: string) => `${eventId}|${webhookId}`;

/**
 * Order-independent checksum of a set of (eventId, webhookId) pairs: the sum of their hashes
 * modulo 2^32. Receivers and publisher compute it independently; equal counts and equal sums
 * mean the same pairs arrived that were sent (a swap of one pair for another would need a
 * hash collision to go unnoticed).
 */
export class PairChecksum {
  private sum = 0;
  count = 0;

  /** A checksum computed elsewhere (e.g. on the baseline's thread). */
  static of(count: number, value: number): PairChecksum {
    const checksum = new PairChecksum();
    checksum.sum = value >>> 0;
    checksum.count = count;
    return checksum;
  }

  add(eventId: string, webhookId: string): void {
    this.sum = (this.sum + fnv1a32(pairKey(eventId, webhookId))) >>> 0;
    this.count += 1;
  }

  get value(): number {
    return this.sum;
  }
}

export interface LedgerSummary {
  /** Distinct (event, webhook) pairs received. */
  unique: number;
  /** Requests received, duplicates included. */
  received: number;
  duplicates: number;
  checksum: number;
}

/**
 * What the receivers got in one phase: each (eventId, webhookId) pair once in the checksum,
 * duplicates (at-least-once redeliveries) counted apart.
 */
export class DeliveryLedger {
  private readonly seen = new Set<string>();
  private readonly checksum = new PairChecksum();
  private received = 0;

  /** Records one arrival; true the first time this pair arrives. */
  record(eventId: string, webhookId: string): boolean {
    this.received += 1;
    const key = pairKey(eventId, webhookId);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.checksum.add(eventId, webhookId);
    return true;
  }

  get unique(): number {
    return this.seen.size;
  }

  summary(): LedgerSummary {
    return {
      unique: this.seen.size,
      received: this.received,
      duplicates: this.received - this.seen.size,
      checksum: this.checksum.value,
    };
  }
}

export interface Confirmation {
  expected: number;
  confirmed: boolean;
  lost: number;
  duplicates: number;
}

/** Compares what was sent (count + checksum) with what the receivers recorded. */
export function confirmDeliveries(sent: PairChecksum, received: LedgerSummary): Confirmation {
  return {
    expected: sent.count,
    confirmed: received.unique === sent.count && received.checksum === sent.value,
    lost: Math.max(0, sent.count - received.unique),
    duplicates: received.duplicates,
  };
}
