import createClient, { type Client } from 'openapi-fetch';
import { HeraldApiError } from './errors';
import type { paths } from './generated/openapi';

export interface HeraldClientOptions {
  /** Where the API is served, e.g. `https://herald.example.com` (empty: the page's own origin). */
  baseUrl?: string;
  /** A tenant API key (`hk_…`) or the operator's bootstrap key. */
  apiKey?: string;
  /** With the bootstrap key: the tenant to act for (`X-Tenant-Id`). */
  tenantId?: string;
  /** In the portal: authenticate with the portal session's cookie instead of a key. */
  portalSession?: boolean;
  /** Called with each request (default: the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

export type HeraldClient = Client<paths>;

/** A typed client of the admin API (openapi-fetch); a refusal rejects with a HeraldApiError. */
export function createHeraldClient(options: HeraldClientOptions = {}): HeraldClient {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.tenantId) headers['x-tenant-id'] = options.tenantId;
  if (options.portalSession) headers['x-herald-portal'] = '1';
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    headers,
    credentials: options.portalSession ? 'same-origin' : 'omit',
    // Resolved per call, so a test or a polyfill may replace the global fetch after creation.
    fetch: (request) => (options.fetch ?? globalThis.fetch)(request),
  });
  client.use({
    async onResponse({ response }) {
      if (response.ok) return undefined;
      const body = await response
        .clone()
        .json()
        .catch(() => null);
      throw HeraldApiError.from(response, body);
    },
  });
  return client;
}

/** The answer's data of an openapi-fetch call (which rejects on refusal with this client). */
export async function data<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data: value } = await call;
  return value as T;
}
