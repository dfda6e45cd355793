/** Raised when a URL or the address it resolves to may not be contacted. */
export class SsrfBlockedError extends Error {
  /** Node-style error code, so transport layers that only see `code` can still recognise it. */
  readonly code = 'ERR_SSRF_BLOCKED';

  constructor(message: string) {
    super(message);
    this.name = 'SsrfBlockedError';
  }
}

export function isSsrfBlocked(error: unknown): boolean {
  if (error instanceof SsrfBlockedError) return true;
  const err = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return err?.code === 'ERR_SSRF_BLOCKED' || err?.cause?.code === 'ERR_SSRF_BLOCKED';
}
