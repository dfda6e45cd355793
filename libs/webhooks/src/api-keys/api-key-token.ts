import { randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'hk_';

/**
 * A new API key token: 32 random bytes (256 bits), base64url. Because the token is uniformly
 * random, a fast SHA-256 is enough to store it: guessing a preimage is as hard as guessing the
 * key itself, and a fast hash allows an indexed lookup on every request. A slow KDF (bcrypt,
 * argon2) protects low-entropy passwords and would add tens of milliseconds per request here.
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
