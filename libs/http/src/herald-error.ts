import { status as GrpcStatus } from '@grpc/grpc-js';

/** Every refusal Herald names. The wire code is the kind itself unless the table says otherwise. */
export type HeraldErrorCode =
  | 'invalid_request'
  | 'malformed_json'
  | 'invalid_encoding'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'version_conflict'
  | 'webhook_limit_reached'
  | 'event_idempotency_conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'internal_error'
  | 'unavailable';

export interface ErrorMapping {
  http: number;
  grpc: GrpcStatus;
  /** The code in the response body when it differs from the kind (kept for API compatibility). */
  wire?: string;
}

/** The one table both transports read: each code's HTTP status and gRPC status code. */
export const ERROR_TABLE: { readonly [C in HeraldErrorCode]: ErrorMapping } = {
  invalid_request: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  malformed_json: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  invalid_encoding: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  unauthorized: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  forbidden: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  not_found: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  method_not_allowed: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED },
  conflict: { http: 409, grpc: GrpcStatus.ABORTED },
  version_conflict: { http: 409, grpc: GrpcStatus.ABORTED },
  webhook_limit_reached: { http: 409, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  // Ingest answers a reused event idempotency key with 409; the admin API's reuse is a 422.
  event_idempotency_conflict: { http: 409, grpc: GrpcStatus.ABORTED, wire: 'idempotency_key_reused' },
  precondition_failed: { http: 412, grpc: GrpcStatus.FAILED_PRECONDITION },
  payload_too_large: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  unsupported_media_type: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  idempotency_key_reused: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  rate_limited: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  internal_error: { http: 500, grpc: GrpcStatus.INTERNAL },
  unavailable: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
};

export const HERALD_ERROR_CODES = Object.keys(ERROR_TABLE) as HeraldErrorCode[];

export const wireCodeOf = (code: HeraldErrorCode): string => ERROR_TABLE[code].wire ?? code;

/** A refusal that knows no transport: a code from the table and a message naming the field and bound, never a secret. */
export class HeraldError extends Error {
  constructor(
    readonly code: HeraldErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HeraldError';
  }
}

/** A key over its request budget, with when to retry (REST's Retry-After, gRPC's retry-after trailer). */
export class RateLimitedError extends HeraldError {
  constructor(
    readonly retryAfterSeconds: number,
    { perSecond, burst }: { perSecond: number; burst: number },
  ) {
    super(
      'rate_limited',
      `Too many requests with this API key (at most ${perSecond} per second, bursts of ${burst}); retry after ${retryAfterSeconds} s`,
    );
  }
}

export const badRequest = (message: string, details?: unknown) => new HeraldError('invalid_request', message, details);
export const notFound = (what: string) => new HeraldError('not_found', `${what} not found`);
export const conflict = (message: string) => new HeraldError('conflict', message);
