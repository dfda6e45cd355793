import { timingSafeEqual, createHash } from 'node:crypto';
import {
  createParamDecorator,
  Inject,
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from './api-error';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** The bootstrap admin key from the environment. */
  adminApiKey: string;
  /** Tenant used when the bootstrap key does not name one with `X-Tenant-Id`. */
  defaultTenant: string;
}

export interface Principal {
  tenantId: string;
  scopes: string[];
  keyId: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer API-key authentication. Keys are compared as SHA-256 digests with a constant-time
 * comparison. The bootstrap key acts for the tenant named in `X-Tenant-Id` (or the default one).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly adminDigest: Buffer;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {
    this.adminDigest = digest(options.adminApiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = request.headers.authorization;
    if (!header) throw new ApiError(401, 'unauthorized', 'Missing Authorization header (expected "Bearer <api key>")');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <api key>"');
    if (!timingSafeEqual(digest(match[1]), this.adminDigest)) {
      throw new ApiError(401, 'unauthorized', 'Invalid API key');
    }
    const tenantHeader = request.headers['x-tenant-id'];
    const tenantId = (Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader) ?? this.options.defaultTenant;
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(tenantId)) {
      throw new ApiError(400, 'invalid_request', 'X-Tenant-Id must be 1-128 letters, digits, ".", "_", ":" or "-"');
    }
    request.principal = { tenantId, scopes: ['admin', 'read'], keyId: 'bootstrap' };
    return true;
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
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_OPTIONS, useValue: options }, ApiKeyGuard],
      exports: [AUTH_OPTIONS, ApiKeyGuard],
    };
  }
}
