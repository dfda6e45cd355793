/**
 * A fresh Idempotency-Key. Make one per intended change and send the same one again when
 * retrying it (after a timeout, say): Herald then answers with the first result instead of
 * creating twice, and refuses the key with a different body (422 idempotency_key_reused).
 */
export function idempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
