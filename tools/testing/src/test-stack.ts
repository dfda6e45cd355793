import { resolve } from 'node:path';
import { createHeraldClient, type HeraldClient } from '@herald/sdk';
import { heraldHome } from '@herald/stack';
import { startStack, type Stack, type StackOptions } from '@herald/stack';
import { createTestDatabase, testBrokers, uniqueName } from './test-env';

export const TEST_ADMIN_KEY = 'hk_test_0123456789abcdef';

export interface TestStack extends Stack {
  prefix: string;
  databaseUrl: string;
  /** Authorised JSON request against the gateway. */
  api: (
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ) => Promise<{ status: number; body: any }>;
  /** The typed SDK client with the bootstrap key, against the gateway (refusals reject with HeraldApiError). */
  herald: (tenantId?: string) => HeraldClient;
}

/**
 * All five services as real processes, on the test Kafka (own topic prefix) and a fresh
 * database, started by the same code `npm start` uses.
 */
export async function startTestStack(
  options: Partial<Pick<StackOptions, 'env' | 'echoLogs' | 'readyTimeoutMs'>> = {},
): Promise<TestStack> {
  const prefix = `${uniqueName('e2e')}.`;
  const databaseUrl = await createTestDatabase();
  const stack = await startStack({
    brokers: testBrokers(),
    databaseUrl,
    adminApiKey: TEST_ADMIN_KEY,
    topicPrefix: prefix,
    logDir: resolve(heraldHome('test'), 'logs', prefix.slice(0, -1)),
    env: {
      ...options.env,
      '*': { LOG_LEVEL: 'info', KAFKA_TOPIC_PARTITIONS: '3', ...(options.env?.['*'] ?? {}) },
      // Tests' receivers listen on loopback, which webhook creation refuses unless allow-listed.
      'subscription-api': {
        WEBHOOK_URL_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
        ...(options.env?.['subscription-api'] ?? {}),
      },
      // …and which the deliverer's send-time SSRF guard refuses unless allow-listed.
      deliverer: { DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8,::1/128', ...(options.env?.deliverer ?? {}) },
    },
    echoLogs: options.echoLogs,
    // Start-up time is not what these tests judge: a cold broker's coordinators and a busy CI
    // machine can make one service take over a minute to become ready.
    readyTimeoutMs: options.readyTimeoutMs ?? 180_000,
  });
  const api: TestStack['api'] = async (path, init = {}) => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body };
  };
  const herald = (tenantId?: string) =>
    createHeraldClient({ baseUrl: stack.gatewayUrl, apiKey: TEST_ADMIN_KEY, tenantId });
  return Object.assign(stack, { prefix, databaseUrl, api, herald });
}
