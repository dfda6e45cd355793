import {
  Catch,
  HttpException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './api-error';

/**
 * Every error leaves as `{ error: { code, message } }`. Body-parser failures (malformed JSON,
 * too large) become clear 4xx messages; anything unexpected is a 500 whose details stay in the log.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body } = this.describe(exception);
    if (status >= 500) {
      this.logger.error({ err: exception, method: request.method, path: request.path }, 'request failed');
    }
    response.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: unknown } {
    const raw = exception as { type?: string; status?: number; limit?: number };
    if (raw?.type === 'entity.parse.failed') {
      return error(400, 'malformed_json', 'The request body is not valid JSON');
    }
    if (raw?.type === 'encoding.invalid') {
      return error(400, 'invalid_encoding', 'The request body is not valid UTF-8');
    }
    if (raw?.type === 'encoding.nul') {
      return error(400, 'invalid_encoding', 'The request body contains a NUL character (\\u0000), which cannot be stored');
    }
    if (raw?.type === 'entity.too.large') {
      return error(413, 'payload_too_large', `The request body is larger than the limit of ${raw.limit} bytes`);
    }
    if (exception instanceof ApiError) {
      return { status: exception.getStatus(), body: exception.getResponse() };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      // Nest turns body-parser's SyntaxError into a plain 400 carrying the parser's message.
      if (status === 400 && /JSON/.test(exception.message)) {
        return error(400, 'malformed_json', 'The request body is not valid JSON');
      }
      const message =
        typeof payload === 'string'
          ? payload
          : Array.isArray((payload as { message?: unknown }).message)
            ? ((payload as { message: string[] }).message).join('; ')
            : String((payload as { message?: unknown }).message ?? exception.message);
      return error(status, codeFor(status), message);
    }
    return error(500, 'internal_error', 'Internal server error');
  }
}

function error(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}

function codeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}
