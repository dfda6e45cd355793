import { parse, serialize } from 'cookie';

/** The portal session's cookie: an opaque token, looked up by its hash like an API key. */
export const SESSION_COOKIE = 'herald_session';
// Required beside the cookie: another site cannot set it without a CORS preflight Herald never grants (CSRF).
export const SESSION_REQUEST_HEADER = 'x-herald-portal';
export const SESSION_TOKEN_PATTERN = /^hps_[A-Za-z0-9_-]{43}$/;

/** The session token of a Cookie header, or undefined. */
export function sessionTokenOf(cookieHeader: string | string[] | undefined): string | undefined {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  if (!header) return undefined;
  const token = parse(header)[SESSION_COOKIE];
  return token && SESSION_TOKEN_PATTERN.test(token) ? token : undefined;
}

export interface SessionCookieOptions {
  expiresAt: Date;
  /** Served over TLS (directly or behind a proxy that says so). */
  secure: boolean;
  /** The portal may be framed by another site: the cookie must travel in third-party context. */
  embedding: boolean;
}

/**
 * HttpOnly always; SameSite=None only when embedding is on (browsers then demand Secure, which
 * Chromium honours on loopback http too); otherwise Lax, and Secure where served over TLS.
 */
export function sessionCookie(token: string, { expiresAt, secure, embedding }: SessionCookieOptions): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    path: '/',
    expires: expiresAt,
    sameSite: embedding ? 'none' : 'lax',
    secure: secure || embedding,
  });
}

/** Clears the cookie (after revocation or sign-out). */
export function clearedSessionCookie(): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, path: '/', expires: new Date(0), sameSite: 'lax' });
}
