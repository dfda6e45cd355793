// Same-origin calls to the public API, authorised by the signed-in key or the (HttpOnly) session cookie.
import type { paths } from '@herald/sdk';

export type Session =
  | {
      apiKey: string;
      /** Only the bootstrap admin key acts for a tenant it names; tenant keys carry their own. */
      tenantId?: string;
      portal?: undefined;
    }
  | { apiKey?: undefined; tenantId?: undefined; portal: PortalSessionInfo };

/** GET /v1/portal-sessions/current: what the session was opened for (typed by the SDK from the OpenAPI document). */
export type PortalSessionInfo =
  paths['/v1/portal-sessions/current']['get']['responses'][200]['content']['application/json'];

/** The header a cookie-authenticated request must carry (the server refuses the cookie without it). */
export const PORTAL_HEADER = 'x-herald-portal';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Fetch = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  text: () => Promise<string>;
}>;

export class ApiClient {
  constructor(
    private readonly session: Session,
    private readonly fetcher: Fetch,
    /** Called on 401 so the page can return to sign-in. */
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get tenantId(): string | undefined {
    return this.session.tenantId ?? this.session.portal?.tenantId;
  }

  /** Set inside a portal session: its scope, subset and branding. */
  get portal(): PortalSessionInfo | undefined {
    return this.session.portal;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.session.apiKey !== undefined) headers.authorization = `Bearer ${this.session.apiKey}`;
    else headers[PORTAL_HEADER] = '1';
    if (this.session.tenantId) headers['x-tenant-id'] = this.session.tenantId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await this.fetcher(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiRequestError(0, 'network', 'Herald could not be reached. Check your connection and try again.');
    }
    const text = await response.text();
    let parsed: any = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.status >= 400) {
      if (response.status === 401) this.onUnauthorized();
      const error = parsed?.error;
      throw new ApiRequestError(
        response.status,
        typeof error?.code === 'string' ? error.code : 'http_error',
        typeof error?.message === 'string' ? error.message : `Request failed with HTTP ${response.status}`,
      );
    }
    return parsed as T;
  }

  /**
   * Every page of a cursor-paginated list (bounded: the portal lists one tenant's webhooks),
   * with the first page's other fields (e.g. the tenant's limit).
   */
  async listAll<T, Meta extends object = object>(
    path: string,
    maxPages = 20,
  ): Promise<{ items: T[]; meta: Partial<Meta> }> {
    const items: T[] = [];
    let meta: Partial<Meta> = {};
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path;
      const { data, nextCursor, ...rest }: { data: T[]; nextCursor?: string | null } = await this.request('GET', url);
      if (page === 0) meta = rest as Partial<Meta>;
      items.push(...data);
      cursor = nextCursor ?? null;
      if (!cursor) break;
    }
    return { items, meta };
  }
}
