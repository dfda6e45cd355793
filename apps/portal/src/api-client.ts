// Same-origin calls to the public API through the typed SDK, authorised by the signed-in key or the (HttpOnly) session cookie.
import {
  collect,
  createHeraldClient,
  data,
  HeraldApiError,
  paginate,
  type HeraldClient,
  type paths,
} from '@herald/sdk';

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

export type Fetch = (request: Request) => Promise<Response>;

export interface ApiClientOptions {
  /** Called on 401 so the page can return to sign-in. */
  onUnauthorized?: () => void;
  /** Default: the page's own origin and fetch. */
  baseUrl?: string;
  fetch?: Fetch;
}

const UNREACHABLE = 'Herald could not be reached. Check your connection and try again.';

/** The portal's view of the API: the SDK client for the session, with refusals as HeraldApiError. */
export class ApiClient {
  /** Every call the portal makes goes through this typed client (paths, parameters, bodies and answers). */
  readonly herald: HeraldClient;

  private readonly onUnauthorized: () => void;

  constructor(
    private readonly session: Session,
    options: ApiClientOptions = {},
  ) {
    this.onUnauthorized = options.onUnauthorized ?? (() => undefined);
    const transport = { baseUrl: options.baseUrl, fetch: options.fetch };
    this.herald = createHeraldClient(
      session.portal
        ? { portalSession: true, ...transport }
        : { apiKey: session.apiKey, tenantId: session.tenantId, ...transport },
    );
  }

  get tenantId(): string | undefined {
    return this.session.tenantId ?? this.session.portal?.tenantId;
  }

  /** Set inside a portal session: its scope, subset and branding. */
  get portal(): PortalSessionInfo | undefined {
    return this.session.portal;
  }

  /** The answer of one SDK call; a refusal rejects with the API's message, a 401 also signs out. */
  call<T>(request: Promise<{ data?: T; response: Response }>): Promise<T> {
    return this.guard(data(request));
  }

  /** Every webhook of the tenant (or session), page by page with the SDK's helpers, and the tenant's limit. */
  async allWebhooks(maxPages = 20) {
    let limit: number | null = null;
    const pages = paginate(async (cursor) => {
      const page = await this.herald.GET('/v1/webhooks', { params: { query: { limit: 100, cursor } } });
      limit ??= page.data?.limit ?? null;
      return page;
    }, maxPages);
    const items = await this.guard(collect(pages));
    return { items, limit };
  }

  private async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (failure) {
      if (!(failure instanceof HeraldApiError)) throw new HeraldApiError(0, 'network', UNREACHABLE);
      if (failure.status === 401) this.onUnauthorized();
      throw failure;
    }
  }
}
