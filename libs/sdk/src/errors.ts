import type { components } from './generated/openapi';

/** Every error code Herald's API answers with (`{"error":{"code","message"}}`), from the OpenAPI document. */
export type HeraldErrorCode = components['schemas']['Error']['error']['code'];

/** A refusal by the API: its HTTP status, code and message (which names the field and the bound). */
export class HeraldApiError extends Error {
  override readonly name = 'HeraldApiError';
  constructor(
    readonly status: number,
    readonly code: HeraldErrorCode | 'http_error' | 'network',
    message: string,
    /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The API's error for a response that failed; `body` is its parsed JSON, if any. */
  static from(response: Response, body: unknown): HeraldApiError {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    return new HeraldApiError(
      response.status,
      typeof error?.code === 'string' ? (error.code as HeraldErrorCode) : 'http_error',
      typeof error?.message === 'string' ? error.message : `Request failed with HTTP ${response.status}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}

/** True for an API error, and for one with the given code when `code` is passed. */
export function isHeraldApiError(error: unknown, code?: HeraldApiError['code']): error is HeraldApiError {
  return error instanceof HeraldApiError && (code === undefined || error.code === code);
}
