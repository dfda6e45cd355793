import {
  createParamDecorator,
  Global,
  Injectable,
  Module,
  SetMetadata,
  type DynamicModule,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { HeraldError, RateLimitedError } from './herald-error';
import {
  ApiAccess,
  API_KEY_RESOLVER,
  AUTH_OPTIONS,
  type ApiKeyResolver,
  type AuthOptions,
  type Principal,
  type Scope,
} from './api-access';
import { SESSION_REQUEST_HEADER } from './portal-session-cookie';

const REQUIRED_SCOPE = 'herald:required-scope';
/**
 * The scope a route needs. Without it, reads (GET/HEAD) need `read` and everything else needs
 * `admin`; `admin` includes `read`.
 */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

const NO_SESSIONS = 'herald:no-portal-sessions';
/** Routes a portal session may never use (credentials, sessions themselves): API keys only. */
export const ApiKeysOnly = () => SetMetadata(NO_SESSIONS, true);

/** Bearer API-key authentication for REST routes: the route's scope, checked by ApiAccess. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  // Nest makes one guard per module that uses it; the budget lives in the one ApiAccess.
  constructor(
    private readonly access: ApiAccess,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const targets = [context.getHandler(), context.getClass()];
    const scope =
      this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, targets) ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'admin');
    try {
      request.principal = await this.access.authorize({
        authorization: request.headers.authorization,
        tenant: request.headers['x-tenant-id'],
        scope,
        operation: `${request.method} ${request.path}`,
        cookie: request.headers.cookie,
        portalHeader: request.headers[SESSION_REQUEST_HEADER],
        allowSession: !this.reflector.getAllAndOverride<boolean | undefined>(NO_SESSIONS, targets),
      });
    } catch (error) {
      if (error instanceof RateLimitedError) {
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    return true;
  }
}

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
  if (!request.principal) throw new HeraldError('unauthorized', 'Not authenticated');
  return request.principal;
});

/** Provides the auth options, ApiAccess (one per app) and the guard to every module of the app. */
@Global()
@Module({})
export class AuthModule {
  /** `apiKeys`: how tenant keys are looked up; without it only the bootstrap key is accepted. */
  static forRoot(options: AuthOptions, apiKeys?: Type<ApiKeyResolver>): DynamicModule {
    const resolver = apiKeys ? [{ provide: API_KEY_RESOLVER, useClass: apiKeys }] : [];
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_OPTIONS, useValue: options }, ...resolver, ApiAccess, ApiKeyGuard],
      exports: [AUTH_OPTIONS, ApiAccess, ApiKeyGuard, ...(apiKeys ? [API_KEY_RESOLVER] : [])],
    };
  }
}
