import { randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'hk_';

/**
 * 256 random bits, so a fast SHA-256 is safe to store (a preimage is as hard as the key) and allows an indexed
 * lookup per request; a slow KDF protects low-entropy passwords and would cost tens of ms per request.
 */
export function generateApiKeyToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

// Defined with the webhooks.api-keys contract: event-ingest hashes presented tokens the same way.
export { hashApiKeyToken } from '@herald/contracts';

/** Enough of the token to recognise it in a list (`hk_AbCdEf…`), far too little to use it. */
export function displayPrefix(token: string): string {
  return `${token.slice(0, TOKEN_PREFIX.length + 6)}…`;
}
