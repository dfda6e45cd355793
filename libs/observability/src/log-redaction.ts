/**
 * Log lines name things by id; these helpers keep text not written by Herald (an error's message
 * and fields) from carrying a payload, URL or address into them.
 */

// V8 quotes up to ten characters either side of the bad token: `Unexpected token 'v', ..."a": v-0123"... is not valid JSON`.
const JSON_SNIPPET = /, (?:\.\.\.)?".*?"(?:\.\.\.)? is not valid JSON$/s;
// PostgreSQL quotes the refused value last: `invalid input syntax for type uuid: "…"`.
const TRAILING_QUOTED_VALUE = /: ".*"$/s;
const EMAIL = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[^\s<>"'(),;:@]+/g;
// Path, query and user info of a URL can carry tokens; scheme, host and port are kept.
const URL_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@"'<>]*@)?([^\s/?#"'<>]+)([^\s"'<>]*)/gi;

/** A message or reason without the input it quotes: no JSON snippet, quoted value, e-mail address, or URL path/query. */
export function withoutEchoedInput(text: string): string {
  return text
    .replace(JSON_SNIPPET, ' is not valid JSON')
    .replace(TRAILING_QUOTED_VALUE, ': "[redacted]"')
    .replace(
      URL_PATTERN,
      (_url, scheme: string, host: string, tail: string) => `${scheme}${host}${tail ? '/[redacted]' : ''}`,
    )
    .replace(EMAIL, '[email]');
}

/** What `JSON.parse` objected to, without the text around it (which is the tenant's content). */
export function describeJsonError(error: unknown): string {
  return withoutEchoedInput(error instanceof Error ? error.message : String(error));
}

/**
 * The only error fields logged: others carry data (ORM `query`/`parameters`, PostgreSQL `detail`,
 * an SMTP `response`, an HTTP client's body).
 */
const KEPT_FIELDS = [
  'code',
  'errno',
  'syscall',
  'severity',
  'routine',
  'constraint',
  'table',
  'column',
  'retriable',
  'status',
  'statusCode',
];

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: SerializedError;
  [field: string]: unknown;
}

/** pino's `err` serializer: type, message and stack (input echoes removed), a few codes, the cause. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (typeof error !== 'object' || error === null)
    return { type: typeof error, message: withoutEchoedInput(String(error)) };
  const e = error as Error & Record<string, unknown>;
  const type = e.constructor?.name ?? 'Object';
  const message = withoutEchoedInput(typeof e.message === 'string' ? e.message : '');
  const out: SerializedError = { type, message };
  if (typeof e.stack === 'string') {
    // The stack's first line repeats the message: keep only the frames.
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${e.name ?? type}: ${message}`, ...frames].join('\n');
  }
  for (const field of KEPT_FIELDS) {
    const value = e[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[field] = typeof value === 'string' ? withoutEchoedInput(value) : value;
    }
  }
  if (e.cause !== undefined && depth < 3) out.cause = serializeError(e.cause, depth + 1);
  return out;
}
