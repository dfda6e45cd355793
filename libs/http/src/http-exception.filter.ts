import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ERROR_TABLE, HeraldError, wireCodeOf, type HeraldErrorCode } from './herald-error';

export interface HttpErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details?: unknown } };
}

/** REST's mapper: a HeraldError becomes its table status and `{ error: { code, message } }`. */
export function httpResponseOf(error: HeraldError): HttpErrorResponse {
  const { code, message, details } = error;
  return {
    status: ERROR_TABLE[code].http,
    body: { error: { code: wireCodeOf(code), message, ...(details === undefined ? {} : { details }) } },
  };
}

/**
 * Any thrown value as a REST error: body-parser failures get clear 4xx messages, Nest's own
 * HttpExceptions keep their status, anything unexpected is a 500 whose details stay in the log.
 */
export function httpErrorOf(exception: unknown): HttpErrorResponse {
  if (exception instanceof HeraldError) return httpResponseOf(exception);
  const raw = exception as { type?: string; limit?: number };
  switch (raw?.type) {
    case 'entity.parse.failed':
      return httpResponseOf(new HeraldError('malformed_json', 'The request body is not valid JSON'));
    case 'encoding.invalid':
      return httpResponseOf(new HeraldError('invalid_encoding', 'The request body is not valid UTF-8'));
    case 'encoding.nul':
      return httpResponseOf(
        new HeraldError(
          'invalid_encoding',
          'The request body contains a NUL character (\\u0000), which cannot be stored',
        ),
      );
    case 'entity.too.large':
      return httpResponseOf(
        new HeraldError('payload_too_large', `The request body is larger than the limit of ${raw.limit} bytes`),
      );
  }
  if (exception instanceof HttpException) return fromNestException(exception);
  return httpResponseOf(new HeraldError('internal_error', 'Internal server error'));
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body } = httpErrorOf(exception);
    if (status >= 500) {
      this.logger.error({ err: exception, method: request.method, path: request.path }, 'request failed');
    }
    response.status(status).json(body);
  }
}

/** Nest's own exceptions (unknown route, body-parser SyntaxError) keep their status. */
function fromNestException(exception: HttpException): HttpErrorResponse {
  const status = exception.getStatus();
  const payload = exception.getResponse();
  if (status === 400 && /JSON/.test(exception.message)) {
    return httpResponseOf(new HeraldError('malformed_json', 'The request body is not valid JSON'));
  }
  const message =
    typeof payload === 'string'
      ? payload
      : Array.isArray((payload as { message?: unknown }).message)
        ? (payload as { message: string[] }).message.join('; ')
        : String((payload as { message?: unknown }).message ?? exception.message);
  return { status, body: { error: { code: nestCodeFor(status), message } } };
}

const NEST_STATUS_CODES: Record<number, HeraldErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function nestCodeFor(status: number): string {
  return NEST_STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'error');
}
