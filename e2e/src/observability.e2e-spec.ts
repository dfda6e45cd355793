import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Receiver, eventually, produceRaw, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(180_000);

interface CollectedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
}

/**
 * A loopback OTLP/HTTP (JSON) collector keeping spans in memory: the services are separate
 * processes, so they export over OTLP exactly as they would to a real collector, configured
 * only by the standard OTEL_* variables.
 */
class SpanCollector {
  readonly spans: CollectedSpan[] = [];
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resourceSpans of body.resourceSpans ?? []) {
          const service = resourceSpans.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value
            ?.stringValue;
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              this.spans.push({
                service,
                name: span.name,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                kind: span.kind,
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/traces`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Names every service's exposition must contain, besides the process metrics. */
const DOMAIN_METRICS: Record<string, string[]> = {
  'subscription-api': ['herald_outbox_backlog'],
  'event-ingest': [
    'herald_events_ingested_total',
    'herald_events_rejected_total',
    'herald_kafka_consumer_lag',
    'herald_dead_letters_total',
  ],
  matcher: [
    'herald_deliveries_fanned_out_total',
    'herald_kafka_consumer_lag',
    'herald_kafka_message_processing_seconds',
    'herald_dead_letters_total',
  ],
  deliverer: [
    'herald_delivery_attempts_total',
    'herald_delivery_attempt_duration_seconds',
    'herald_delivery_lag_seconds',
    'herald_kafka_consumer_lag',
    'herald_kafka_message_processing_seconds',
    'herald_dead_letters_total',
  ],
  'audit-log': [
    'herald_event_log_rows_stored_total',
    'herald_kafka_consumer_lag',
    'herald_kafka_message_processing_seconds',
    'herald_outbox_backlog',
  ],
};

describe('observability', () => {
  let stack: TestStack;
  const collector = new SpanCollector();
  const receiver = new Receiver();

  beforeAll(async () => {
    const endpoint = await collector.start();
    await receiver.start();
    stack = await startTestStack({
      env: {
        '*': {
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
          OTEL_BSP_SCHEDULE_DELAY: '200',
        },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([receiver.stop(), collector.stop()]);
  });

  it('follows one event through ingest, match, delivery and storage in one trace, the receiver seeing the same trace id', async () => {
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { url: `${receiver.url}/traced`, events: ['trace.checked'] },
    });
    expect(created.status).toBe(201);
    const posted = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'trace.checked', tenantId: 'default', data: {} },
    });
    expect(posted.status).toBe(202);

    const request = await eventually(
      async () => receiver.requests.find((r) => JSON.parse(r.body).eventId === posted.body.eventId),
      60_000,
      'the delivery',
    );
    const traceparent = String(request.headers.traceparent);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent.split('-')[1];

    const expected: [string, string][] = [
      ['event-ingest', 'POST /v1/events'],
      ['event-ingest', 'send'],
      ['matcher', 'process'],
      ['matcher', 'send'],
      ['deliverer', 'process'],
      ['deliverer', 'POST webhook'],
      ['audit-log', 'process'],
      ['audit-log', 'store delivery_attempts'],
    ];
    const spans = await eventually(
      async () => {
        const inTrace = collector.spans.filter((s) => s.traceId === traceId);
        return expected.every(([service, name]) =>
          inTrace.some((s) => s.service === service && s.name.startsWith(name)),
        )
          ? inTrace
          : undefined;
      },
      60_000,
      'spans of every service in the trace',
    );

    // One tree: a single root (the ingest request), every other span's parent in the trace.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'event-ingest', name: 'POST /v1/events' });
    expect(spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);
    // The receiver's traceparent names the deliverer's client span.
    const client = spans.find((s) => s.name === 'POST webhook')!;
    expect(traceparent.split('-')[2]).toBe(client.spanId);
  });

  it('writes the trace id on the log lines of a traced message', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await produceRaw(`${stack.prefix}webhooks.attempts`, [
      {
        key: 'wh_x',
        value: { not: 'an attempt record' },
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      },
    ]);
    const { logDir } = stack.services['audit-log'].options;
    const line = await eventually(
      async () => {
        const lines = readFileSync(join(logDir, 'audit-log.log'), 'utf8').split('\n');
        const found = lines.find((l) => l.includes('record dead-lettered') && l.includes(traceId));
        return found ? JSON.parse(found) : undefined;
      },
      30_000,
      'the dead-letter log line',
    );
    expect(line).toMatchObject({ service: 'audit-log', traceId, level: 'warn' });
    expect(line.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('exposes parseable Prometheus metrics with process and domain metrics on every service', async () => {
    for (const [service, names] of Object.entries(DOMAIN_METRICS)) {
      const response = await fetch(`${stack.services[service as keyof typeof stack.services].url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const families = parsePrometheusTextFormat(await response.text());
      const present = new Set(families.map((f) => f.name));
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
        ...names,
      ]) {
        if (!present.has(name)) throw new Error(`${service} /metrics lacks ${name}`);
      }
    }
    const deliverer = parsePrometheusTextFormat(await (await fetch(`${stack.services.deliverer.url}/metrics`)).text());
    const attempts = deliverer.find((f) => f.name === 'herald_delivery_attempts_total')!;
    expect(attempts.type).toBe('COUNTER');
    expect(attempts.metrics.find((m) => m.labels?.outcome === 'success')?.value).not.toBe('0');
    const lag = deliverer.find((f) => f.name === 'herald_kafka_consumer_lag')!;
    expect(lag.metrics.length).toBeGreaterThan(0);
  });
});
