import { randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

/** A new signing secret: `whsec_` + base64 of 24–64 random bytes (32 by default). */
export function generateSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(`secret length must be ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes`);
  }
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/** The HMAC key of a Standard Webhooks secret: the base64-decoded part after `whsec_`. */
export function secretKeyBytes(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/** A secret with its last four characters visible, for places that must not show it. */
export function maskSecret(secret: string): string {
  return `${SECRET_PREFIX}…${secret.slice(-4)}`;
}
