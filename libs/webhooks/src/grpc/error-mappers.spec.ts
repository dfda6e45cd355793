import { status } from '@grpc/grpc-js';
import { ERROR_TABLE, HERALD_ERROR_CODES, HeraldError, RateLimitedError, httpErrorOf } from '@herald/http';
import { toRpcException } from './admin-grpc';

const rpcOf = (error: unknown) =>
  toRpcException(error).getError() as { code: number; message: string; metadata?: { get(k: string): unknown[] } };

// The statuses the API answered before HeraldError; a change here is a change to the public API.
const PUBLIC = {
  invalid_request: [400, 'invalid_request', status.INVALID_ARGUMENT],
  malformed_json: [400, 'malformed_json', status.INVALID_ARGUMENT],
  invalid_encoding: [400, 'invalid_encoding', status.INVALID_ARGUMENT],
  unauthorized: [401, 'unauthorized', status.UNAUTHENTICATED],
  forbidden: [403, 'forbidden', status.PERMISSION_DENIED],
  not_found: [404, 'not_found', status.NOT_FOUND],
  method_not_allowed: [405, 'method_not_allowed', status.UNIMPLEMENTED],
  conflict: [409, 'conflict', status.ABORTED],
  version_conflict: [409, 'version_conflict', status.ABORTED],
  webhook_limit_reached: [409, 'webhook_limit_reached', status.RESOURCE_EXHAUSTED],
  event_idempotency_conflict: [409, 'idempotency_key_reused', status.ABORTED],
  precondition_failed: [412, 'precondition_failed', status.FAILED_PRECONDITION],
  payload_too_large: [413, 'payload_too_large', status.RESOURCE_EXHAUSTED],
  unsupported_media_type: [415, 'unsupported_media_type', status.INVALID_ARGUMENT],
  idempotency_key_reused: [422, 'idempotency_key_reused', status.FAILED_PRECONDITION],
  rate_limited: [429, 'rate_limited', status.RESOURCE_EXHAUSTED],
  internal_error: [500, 'internal_error', status.INTERNAL],
  unavailable: [503, 'unavailable', status.UNAVAILABLE],
} as const;

describe('HeraldError mappers', () => {
  it('list every code of the table', () => {
    expect(Object.keys(PUBLIC).sort()).toEqual([...HERALD_ERROR_CODES].sort());
  });

  it.each(HERALD_ERROR_CODES)('%s keeps its message and maps to the same table row over REST and gRPC', (code) => {
    const error = new HeraldError(code, `refused: ${code}`);
    const [http, wire, grpc] = PUBLIC[code];
    expect(httpErrorOf(error)).toEqual({ status: http, body: { error: { code: wire, message: `refused: ${code}` } } });
    expect(rpcOf(error)).toMatchObject({ code: grpc, message: `refused: ${code}` });
    expect(ERROR_TABLE[code]).toMatchObject({ http, grpc });
  });

  it('passes details over REST and a retry hint over both transports', () => {
    expect(httpErrorOf(new HeraldError('invalid_request', 'bad', { field: 'url' })).body.error).toEqual({
      code: 'invalid_request',
      message: 'bad',
      details: { field: 'url' },
    });
    const limited = new RateLimitedError(3, { perSecond: 1, burst: 2 });
    expect(httpErrorOf(limited).status).toBe(429);
    expect(rpcOf(limited).metadata?.get('retry-after')).toEqual(['3']);
  });

  it('hides anything unexpected behind a 500 / INTERNAL without its message', () => {
    const leak = new Error('password=hunter2');
    expect(httpErrorOf(leak)).toEqual({
      status: 500,
      body: { error: { code: 'internal_error', message: 'Internal server error' } },
    });
    expect(rpcOf(leak)).toEqual({ code: status.INTERNAL, message: 'Internal error' });
  });
});
