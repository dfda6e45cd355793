import { Agent, errors, request } from 'undici';
import type { AttemptOutcome } from '@herald/contracts';
import { SpanKind, inSpan, injectTraceHeaders } from '@herald/observability';
import { AddressPolicy, guardedConnector, isSsrfBlocked, type Resolver } from '@herald/ssrf';

export interface SendResult {
  outcome: AttemptOutcome;
  status: number | null;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  error: string | null;
  durationMs: number;
  /** What a 429 or 503 asked for in `Retry-After`, in ms; null otherwise. */
  retryAfterMs: number | null;
}

export interface HttpSenderOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  userAgent: string;
  /** Addresses outside public unicast that may still be contacted (CIDR ranges). */
  allowedCidrs: readonly string[];
  /** Extra CA certificates to trust (tests); the system store is always used and verified. */
  tlsCa?: string | Buffer;
  /** Host-name resolution (tests substitute one); the system resolver by default. */
  resolve?: Resolver;
}

/**
 * One time budget for the whole attempt, no redirects, a bounded response read, and the SSRF guard on
 * every new connection, so a slow or hostile receiver can neither hold a worker nor reach inside.
 */
export class HttpSender {
  private readonly agent: Agent;

  constructor(private readonly options: HttpSenderOptions) {
    this.agent = new Agent({
      connect: guardedConnector({
        policy: new AddressPolicy(options.allowedCidrs),
        timeoutMs: options.timeoutMs,
        resolve: options.resolve,
        tls: options.tlsCa ? { ca: options.tlsCa } : undefined,
      }),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
      connections: 64,
      pipelining: 1,
    });
  }

  /**
   * One attempt, in a client span whose context goes out as the request's `traceparent`;
   * `timeoutMs` (a webhook's own) only shortens the deployment's budget.
   */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs?: number | null): Promise<SendResult> {
    const attributes = { 'http.request.method': 'POST', 'url.full': url };
    return inSpan('POST webhook', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const all = injectTraceHeaders({
        ...headers,
        'user-agent': this.options.userAgent,
        'content-type': 'application/json',
      });
      const budget = Math.min(timeoutMs ?? this.options.timeoutMs, this.options.timeoutMs);
      const result = await this.send(url, all, body, budget);
      span.setAttribute('herald.attempt.outcome', result.outcome);
      if (result.status !== null) span.setAttribute('http.response.status_code', result.status);
      return result;
    });
  }

  private async send(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<SendResult> {
    const started = performance.now();
    // A timer cleared on completion: AbortSignal.timeout's would fire (and build a DOMException)
    // seconds after every request that had already finished.
    const abort = new AbortController();
    const signal = abort.signal;
    const timer = setTimeout(
      () => abort.abort(new DOMException('The operation timed out.', 'TimeoutError')),
      timeoutMs,
    );
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        signal,
        dispatcher: this.agent,
      });
      const { text, truncated } = await this.readBounded(response.body);
      const status = response.statusCode;
      return {
        outcome: status >= 200 && status < 300 ? 'success' : status === 410 ? 'gone' : 'http_error',
        status,
        headers: flattenHeaders(response.headers),
        body: text,
        bodyTruncated: truncated,
        error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
        durationMs: performance.now() - started,
        retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after']) : null,
      };
    } catch (error) {
      return {
        ...classifyError(error, signal.aborted, timeoutMs),
        status: null,
        headers: {},
        body: '',
        bodyTruncated: false,
        durationMs: performance.now() - started,
        retryAfterMs: null,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private async readBounded(
    body: AsyncIterable<Buffer> & { destroy(): void },
  ): Promise<{ text: string; truncated: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const room = this.options.maxResponseBytes - size;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        body.destroy();
        return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
      }
      chunks.push(chunk);
      size += chunk.length;
    }
    return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** `Retry-After` as delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function classifyError(
  error: unknown,
  aborted: boolean,
  timeoutMs: number,
): { outcome: AttemptOutcome; error: string } {
  if (isSsrfBlocked(error)) {
    const err = error as NodeJS.ErrnoException & { cause?: Error };
    return {
      outcome: 'blocked',
      error: `blocked: ${err.code === 'ERR_SSRF_BLOCKED' ? err.message : err.cause?.message}`,
    };
  }
  if (
    aborted ||
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    (error as Error)?.name === 'TimeoutError'
  ) {
    return { outcome: 'timeout', error: `no complete response within ${timeoutMs} ms` };
  }
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code;
  const message = err?.cause?.message ?? err?.message ?? String(error);
  return { outcome: 'network', error: code ? `${code}: ${message}` : message };
}
