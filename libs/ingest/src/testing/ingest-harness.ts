import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { AuthModule, runService } from '@herald/http';
import { KafkaModule } from '@herald/kafka';
import { ObservabilityModule, createLogger } from '@herald/observability';
import { testBrokers } from '@herald/testing';
import { IngestModule } from '../ingest.module';
import type { IngestOptions } from '../ingest.options';

export const INGEST_HARNESS_ADMIN_KEY = 'hk_ingest_harness_0123456789';

/**
 * event-ingest in this process, composed as the app composes it, under a topic prefix; several
 * can run in turn on one prefix, like instances of one deployment.
 */
export class IngestHarness {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly prefix: string,
  ) {}

  static async start(prefix: string, options: Partial<IngestOptions> = {}): Promise<IngestHarness> {
    const logger = createLogger('event-ingest', 'silent');
    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'event-ingest', logger }),
        KafkaModule.forRoot(
          {
            brokers: [testBrokers()],
            clientId: 'herald-event-ingest',
            topicPrefix: prefix,
            partitions: 3,
            replicationFactor: 1,
            createTopics: true,
          },
          { shutdownTimeoutMs: 5000 },
        ),
        AuthModule.forRoot({ adminApiKey: INGEST_HARNESS_ADMIN_KEY, defaultTenant: 'default' }),
        IngestModule.forRoot({ sourceTopics: [`${prefix}webhooks.ingest`], maxEventBytes: 262_144, ...options }),
      ],
    })
    class IngestUnderTest {}
    const app = await runService({
      service: 'event-ingest',
      module: IngestUnderTest,
      host: '127.0.0.1',
      port: 0,
      logger,
    });
    return new IngestHarness(app, `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, prefix);
  }

  /** POST /v1/events with the bootstrap key. */
  async post(event: unknown): Promise<{ status: number; headers: Headers; body: any }> {
    const res = await fetch(`${this.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_HARNESS_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  /** The value of one counter series on /metrics (0 when it has none yet). */
  async counter(name: string, labels: Record<string, string>): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
