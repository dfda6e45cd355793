import { randomBytes } from 'node:crypto';

/**
 * 32 random bytes each, like API keys, so SHA-256 suffices to store them (see api-key-token.ts):
 * `hpl_` the one-time link token, `hps_` the cookie's session token.
 */
export const generateLinkToken = () => `hpl_${randomBytes(32).toString('base64url')}`;
export const generateSessionToken = () => `hps_${randomBytes(32).toString('base64url')}`;
export const LINK_TOKEN_PATTERN = /^hpl_[A-Za-z0-9_-]{43}$/;
export { hashApiKeyToken as hashPortalToken } from '@herald/contracts';
