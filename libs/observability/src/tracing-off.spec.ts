import { context } from '@opentelemetry/api';
import {
  activeTraceIds,
  inSpan,
  injectTraceHeaders,
  spansEnabled,
  startTracing,
  stopTracing,
  traceHttpRequests,
} from './tracing';

describe('tracing without an exporter', () => {
  beforeAll(() => startTracing('test', {}));
  afterAll(() => stopTracing());

  it('runs work without spans or an async context, and leaves the traceparent a message carries', async () => {
    expect(spansEnabled()).toBe(false);
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const headers = await inSpan('process', {}, async (span) => {
      expect(span.isRecording()).toBe(false);
      return injectTraceHeaders<Record<string, string>>({ traceparent: incoming });
    });
    expect(headers).toEqual({ traceparent: incoming });
    expect(injectTraceHeaders<Record<string, string>>({})).toEqual({});
  });

  it('enables the async context for an API request, so its traceparent reaches what it publishes', async () => {
    const incoming = '00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01';
    const published = await new Promise<Record<string, string>>((resolve) => {
      traceHttpRequests(
        { method: 'POST', path: '/v1/events', headers: { traceparent: incoming } },
        { statusCode: 202, once: () => undefined },
        () => {
          void Promise.resolve().then(() => resolve(injectTraceHeaders<Record<string, string>>({})));
        },
      );
    });
    expect(published.traceparent).toBe(incoming);
    expect(activeTraceIds()).toEqual({});
    context.disable();
  });
});
