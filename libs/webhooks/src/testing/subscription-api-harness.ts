import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { runService } from '@herald/http';
import { createLogger } from '@herald/observability';
import { createTestDatabase, testBrokers, testKafka, uniqueName } from '@herald/testing';
import { Module } from '@nestjs/common';
import { connectAdminGrpc } from '../grpc/admin-grpc';
import {
  subscriptionApiConfigSchema,
  subscriptionApiModules,
  type SubscriptionApiSettings,
} from '../subscription-api.config';

export const HARNESS_ADMIN_KEY = 'it-bootstrap-admin-key-0123456789';

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export interface SubscriptionApiHarness {
  app: INestApplication;
  config: SubscriptionApiSettings;
  baseUrl: string;
  prefix: string;
  databaseUrl: string;
  /** A JSON request; `key` defaults to the bootstrap key, `null` sends no Authorization header. */
  request(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

/**
 * subscription-api in this process, built from the same modules as the app (without the portal), on the real test Kafka (own
 * topic prefix) and a fresh PostgreSQL database; loopback receivers are allow-listed.
 */
export async function startSubscriptionApi(env: Record<string, string> = {}): Promise<SubscriptionApiHarness> {
  const prefix = `${uniqueName('sa')}.`;
  const databaseUrl = await createTestDatabase();
  const config = subscriptionApiConfigSchema.parse({
    KAFKA_BROKERS: testBrokers(),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: '3',
    DATABASE_URL: databaseUrl,
    HERALD_ADMIN_API_KEY: HARNESS_ADMIN_KEY,
    LOG_LEVEL: 'silent',
    HTTP_HOST: '127.0.0.1',
    PORT: '0',
    WEBHOOK_URL_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    HERALD_KEKS: process.env.HERALD_KEKS,
    HERALD_KEK_FILE: process.env.HERALD_KEK_FILE,
    ...env,
  });
  const logger = createLogger('subscription-api', config.LOG_LEVEL);
  @Module({ imports: subscriptionApiModules(config, logger) })
  class SubscriptionApiUnderTest {}
  const app = await runService({
    service: 'subscription-api',
    module: SubscriptionApiUnderTest,
    host: '127.0.0.1',
    port: 0,
    logger,
    configure: async (nest) => {
      if (config.GRPC_PORT !== undefined) await connectAdminGrpc(nest, '127.0.0.1', config.GRPC_PORT);
    },
  });
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const request: SubscriptionApiHarness['request'] = async (method, path, options = {}) => {
    const key = options.key === undefined ? HARNESS_ADMIN_KEY : options.key;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close());
  return { app, config, baseUrl, prefix, databaseUrl, request, close };
}

/** Reads `topic` from the beginning until `count` messages with `key` arrived (values as text, null = tombstone). */
export async function readKeyed(
  topic: string,
  key: string,
  count: number,
  timeoutMs = 20_000,
): Promise<(string | null)[]> {
  const consumer = testKafka().consumer({ groupId: uniqueName('keyed-'), maxWaitTimeInMs: 100 });
  const values: (string | null)[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== key) return;
          values.push(message.value ? message.value.toString() : null);
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}
