/** A fresh Idempotency-Key: one per intended change, sent again on its retries (same body). */
export function idempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
