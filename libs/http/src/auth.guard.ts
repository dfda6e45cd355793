import { timingSafeEqual, createHash } from 'node:crypto';
import {
  createParamDecorator,
  Inject,
  Global,
  Injectable,
  Module,
  Optional,
  SetMetadata,
  type DynamicModule,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from './api-error';
import { DEFAULT_API_RATE_LIMIT, KeyRateLimiter, type RateLimit } from './key-rate-limiter';

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
}

/** Finds the principal of a presented (non-bootstrap) API key; null when unknown or revoked. */
export interface ApiKeyResolver {
  resolve(token: string): Promise<Omit<Principal, 'bootstrap'> | null>;
}

const REQUIRED_SCOPE = 'herald:required-scope';
/**
 * The scope a route needs. Without it, reads (GET/HEAD) need `read` and everything else needs
 * `admin`; `admin` includes `read`.
 */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

const digest = (value: string) => createHash('sha256').update(value).digest();
const TENANT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

/**
 * Bearer API-key authentication. The bootstrap key is compared as a SHA-256 digest in constant
 * time and acts for the tenant named in `X-Tenant-Id` (or the default one). Every other key is
 * looked up through the resolver and belongs to exactly one tenant: a different `X-Tenant-Id`
 * is refused rather than silently ignored.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly adminDigest: Buffer;
  private readonly limiter: KeyRateLimiter;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly reflector: Reflector,
    @Optional() @Inject(API_KEY_RESOLVER) private readonly resolver?: ApiKeyResolver,
  ) {
    this.adminDigest = digest(options.adminApiKey);
    this.limiter = new KeyRateLimiter(options.rateLimit ?? DEFAULT_API_RATE_LIMIT);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(request.headers.authorization, request.headers['x-tenant-id']);
    // Counted before the scope check: refused requests cost the server as much as allowed ones.
    if (!principal.bootstrap) {
      const waitSeconds = this.limiter.take(principal.keyId);
      if (waitSeconds > 0) {
        context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Retry-After', String(waitSeconds));
        const { perSecond, burst } = this.limiter.limit;
        throw new ApiError(429, 'rate_limited', `Too many requests with this API key (at most ${perSecond} per second, bursts of ${burst}); retry after ${waitSeconds} s`);
      }
    }
    const required =
      this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]) ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'admin');
    if (!hasScope(principal, required)) {
      throw new ApiError(403, 'forbidden', `This API key lacks the "${required}" scope needed for ${request.method} ${request.path}`);
    }
    request.principal = principal;
    return true;
  }

  /** Shared with the gRPC transport: bearer token (+ optional tenant) → principal, or 401/403. */
  async authenticate(authorization: string | string[] | undefined, tenantHeader: string | string[] | undefined): Promise<Principal> {
    const header = Array.isArray(authorization) ? authorization[0] : authorization;
    if (!header) throw new ApiError(401, 'unauthorized', 'Missing Authorization header (expected "Bearer <api key>")');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <api key>"');
    const token = match[1];
    const requestedTenant = Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader;
    if (requestedTenant !== undefined && !TENANT_ID.test(requestedTenant)) {
      throw new ApiError(400, 'invalid_request', 'X-Tenant-Id must be 1-128 letters, digits, ".", "_", ":" or "-"');
    }
    if (timingSafeEqual(digest(token), this.adminDigest)) {
      return {
        tenantId: requestedTenant ?? this.options.defaultTenant,
        scopes: ['admin', 'read'],
        keyId: 'bootstrap',
        keyName: 'bootstrap admin key',
        bootstrap: true,
      };
    }
    const found = this.resolver ? await this.resolver.resolve(token) : null;
    if (!found) throw new ApiError(401, 'unauthorized', 'Invalid API key');
    if (requestedTenant !== undefined && requestedTenant !== found.tenantId) {
      throw new ApiError(403, 'forbidden', 'This API key belongs to one tenant and cannot act for the tenant named in X-Tenant-Id');
    }
    return { ...found, bootstrap: false };
  }
}

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
  if (!request.principal) throw new ApiError(401, 'unauthorized', 'Not authenticated');
  return request.principal;
});

/** Provides the auth options (and the guard) to every module of the app. */
@Global()
@Module({})
export class AuthModule {
  /** `apiKeys`: how tenant keys are looked up; without it only the bootstrap key is accepted. */
  static forRoot(options: AuthOptions, apiKeys?: Type<ApiKeyResolver>): DynamicModule {
    const resolver = apiKeys ? [{ provide: API_KEY_RESOLVER, useClass: apiKeys }] : [];
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_OPTIONS, useValue: options }, ...resolver, ApiKeyGuard],
      exports: [AUTH_OPTIONS, ApiKeyGuard, ...(apiKeys ? [API_KEY_RESOLVER] : [])],
    };
  }
}
