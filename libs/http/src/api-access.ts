import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HeraldError, RateLimitedError } from './herald-error';
import { DEFAULT_API_RATE_LIMIT, KeyRateLimiter, type RateLimit } from './key-rate-limiter';
import { sessionTokenOf } from './portal-session-cookie';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
/** Optional provider that looks up tenant API keys (subscription-api stores them in PostgreSQL). */
export const API_KEY_RESOLVER = Symbol('API_KEY_RESOLVER');

export interface AuthOptions {
  /** The bootstrap admin key from the environment. */
  adminApiKey: string;
  /** Tenant used when the bootstrap key does not name one with `X-Tenant-Id`. */
  defaultTenant: string;
  /** Per tenant API key (the bootstrap key is the operator's and is not limited). */
  rateLimit?: RateLimit;
}

export type Scope = 'admin' | 'read';
export const SCOPES: readonly Scope[] = ['admin', 'read'];

export interface Principal {
  tenantId: string;
  scopes: string[];
  keyId: string;
  /** The key's display name, recorded as the acting user in audit records. */
  keyName?: string;
  /** True only for the bootstrap key from the environment (the platform operator). */
  bootstrap?: boolean;
  /** Set when the caller is a portal session (cookie) rather than an API key. */
  session?: SessionGrant;
}

/** What a portal session was opened for, besides its tenant and scope. */
export interface SessionGrant {
  id: string;
  /** Only these webhooks / event types are shown (null: all of the tenant's). */
  webhookIds: string[] | null;
  eventTypes: string[] | null;
}

/** Finds the principal of a presented (non-bootstrap) API key; null when unknown or revoked. */
export interface ApiKeyResolver {
  resolve(token: string): Promise<Omit<Principal, 'bootstrap'> | null>;
  /** The principal of a live portal session's cookie token; null when unknown, expired or revoked. */
  resolveSession?(token: string): Promise<Omit<Principal, 'bootstrap'> | null>;
}

/** One request to the admin API, whatever the transport (REST headers, gRPC metadata). */
export interface AccessRequest {
  authorization: string | string[] | undefined;
  tenant: string | string[] | undefined;
  /** The scope the operation needs. */
  scope: Scope;
  /** The operation, as the refusal names it (`GET /v1/webhooks`, `WebhookAdmin.GetWebhook`). */
  operation: string;
  /** REST only: the Cookie header and the portal's request header (a portal session's credentials). */
  cookie?: string | string[];
  portalHeader?: string | string[];
  /** False on routes a portal session may never use (API keys, portal sessions themselves). */
  allowSession?: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const TENANT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

// One instance per process so REST and gRPC share each key's request budget. The bootstrap key is
// compared as a digest in constant time; any other key's tenant is fixed, so a different X-Tenant-Id is refused.
@Injectable()
export class ApiAccess {
  // Only the key's digest is kept: there is no raw key to compare a token with.
  private readonly adminDigest: Buffer;
  private readonly defaultTenant: string;
  private readonly limiter: KeyRateLimiter;

  constructor(
    @Inject(AUTH_OPTIONS) options: AuthOptions,
    @Optional() @Inject(API_KEY_RESOLVER) private readonly resolver?: ApiKeyResolver,
  ) {
    this.adminDigest = digest(options.adminApiKey);
    this.defaultTenant = options.defaultTenant;
    this.limiter = new KeyRateLimiter(options.rateLimit ?? DEFAULT_API_RATE_LIMIT);
  }

  /** The caller's principal, or a 401/403/429 HeraldError. */
  async authorize(request: AccessRequest): Promise<Principal> {
    const { authorization, tenant, scope, operation } = request;
    const sessionToken = authorization === undefined ? sessionTokenOf(request.cookie) : undefined;
    const principal = sessionToken
      ? await this.authenticateSession(sessionToken, request)
      : await this.authenticate(authorization, tenant);
    // Counted before the scope check: refused requests cost the server as much as allowed ones.
    if (!principal.bootstrap) {
      const waitSeconds = this.limiter.take(principal.keyId);
      if (waitSeconds > 0) throw new RateLimitedError(waitSeconds, this.limiter.limit);
    }
    if (!hasScope(principal, scope)) {
      const who = principal.session ? 'This read-only portal session' : 'This API key';
      throw new HeraldError('forbidden', `${who} lacks the "${scope}" scope needed for ${operation}`);
    }
    return principal;
  }

  /** A portal session's cookie: only with the portal's header (CSRF), only on routes open to sessions. */
  private async authenticateSession(token: string, request: AccessRequest): Promise<Principal> {
    if (request.portalHeader === undefined) {
      throw new HeraldError('unauthorized', 'A portal session request must carry the X-Herald-Portal header');
    }
    const found = this.resolver?.resolveSession ? await this.resolver.resolveSession(token) : null;
    if (!found) throw new HeraldError('unauthorized', 'The portal session has expired or was revoked');
    const tenant = Array.isArray(request.tenant) ? request.tenant[0] : request.tenant;
    if (tenant !== undefined && tenant !== found.tenantId) {
      throw new HeraldError('forbidden', 'A portal session belongs to one tenant and cannot act for another');
    }
    if (request.allowSession === false) {
      throw new HeraldError('forbidden', `A portal session cannot use ${request.operation}; use an API key`);
    }
    return { ...found, bootstrap: false };
  }

  private async authenticate(
    authorization: string | string[] | undefined,
    tenantHeader: string | string[] | undefined,
  ): Promise<Principal> {
    const header = Array.isArray(authorization) ? authorization[0] : authorization;
    if (!header) throw new HeraldError('unauthorized', 'Missing Authorization header (expected "Bearer <api key>")');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HeraldError('unauthorized', 'Authorization header must be "Bearer <api key>"');
    const token = match[1];
    const requestedTenant = Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader;
    if (requestedTenant !== undefined && !TENANT_ID.test(requestedTenant)) {
      throw new HeraldError('invalid_request', 'X-Tenant-Id must be 1-128 letters, digits, ".", "_", ":" or "-"');
    }
    if (timingSafeEqual(digest(token), this.adminDigest)) {
      return {
        tenantId: requestedTenant ?? this.defaultTenant,
        scopes: ['admin', 'read'],
        keyId: 'bootstrap',
        keyName: 'bootstrap admin key',
        bootstrap: true,
      };
    }
    const found = this.resolver ? await this.resolver.resolve(token) : null;
    if (!found) throw new HeraldError('unauthorized', 'Invalid API key');
    if (requestedTenant !== undefined && requestedTenant !== found.tenantId) {
      throw new HeraldError(
        'forbidden',
        'This API key belongs to one tenant and cannot act for the tenant named in X-Tenant-Id',
      );
    }
    return { ...found, bootstrap: false };
  }
}
