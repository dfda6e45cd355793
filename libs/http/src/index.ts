/**
 * @herald/http — the HTTP edge shared by every service: bootstrapping with graceful shutdown,
 * bearer-key authentication with tenant scoping, zod validation and one error format.
 */
export * from './herald-error';
export * from './http-exception.filter';
export * from './zod-body';
export * from './api-access';
export * from './portal-session-cookie';
export * from './portal-security-headers';
export * from './auth.guard';
export * from './key-rate-limiter';
export * from './run-service';
export * from './start-app';
export * from './session-subset';
