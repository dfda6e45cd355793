import { Writable } from 'node:stream';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import pino from 'pino';
import {
  SpanKind,
  activeTraceIds,
  contextFromHeaders,
  inSpan,
  injectTraceHeaders,
  tracingExportRequested,
} from './tracing';

describe('tracing', () => {
  const exporter = new tracing.InMemorySpanExporter();
  let sdk: NodeSDK;

  beforeAll(() => {
    sdk = new NodeSDK({
      spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
      metricReaders: [],
      logRecordProcessors: [],
      instrumentations: [],
    });
    sdk.start();
  });

  afterAll(async () => {
    await sdk.shutdown();
  });

  it('continues the trace of an incoming traceparent and hands its own span to the next hop', async () => {
    const incoming = { traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') };
    const outgoing = await inSpan(
      'process webhooks.events',
      { kind: SpanKind.CONSUMER, parent: contextFromHeaders(incoming) },
      async () =>
        inSpan('send webhooks.deliveries', { kind: SpanKind.PRODUCER }, async () =>
          injectTraceHeaders<Record<string, string>>({}),
        ),
    );
    const [producer, consumer] = exporter.getFinishedSpans();
    expect(consumer.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(consumer.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(producer.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
    expect(outgoing.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${producer.spanContext().spanId}-01`);
  });

  it('marks a failed span as an error and rethrows', async () => {
    exporter.reset();
    await expect(inSpan('store', {}, async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(exporter.getFinishedSpans()[0].status).toMatchObject({ code: 2, message: 'db down' });
  });

  it('puts the active trace id on log lines', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _, done) => (lines.push(chunk.toString()), done()) });
    // The same mixin createLogger uses, with a sink to read.
    const logger = pino({ mixin: activeTraceIds }, sink);
    const traceId = await inSpan('work', {}, async (span) => {
      logger.info('inside');
      return span.spanContext().traceId;
    });
    logger.info('outside');
    expect(JSON.parse(lines[0])).toMatchObject({ traceId, msg: 'inside' });
    expect(JSON.parse(lines[1]).traceId).toBeUndefined();
  });

  it('exports only when the OTEL_* variables ask for it', () => {
    expect(tracingExportRequested({})).toBe(false);
    expect(tracingExportRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingExportRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingExportRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(
      false,
    );
    expect(tracingExportRequested({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
  });
});
