import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaRuntime, KeyLanes, type ConsumedMessage } from '@herald/kafka';
import { IngestMetrics } from './ingest-metrics';
import { INGEST_OPTIONS, type IngestOptions } from './ingest.options';
import { IngestEventUseCase } from './usecases/ingest-event/ingest-event.usecase';

/** A dead letter keeps at most this much of the original value, so it always fits in Kafka. */
const DEAD_LETTER_VALUE_BYTES = 64 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a source-topic value into a JSON object, or says why it cannot be one. */
export function decodeEventValue(
  value: Buffer | null,
  maxEventBytes: number,
): { raw: Record<string, unknown> } | { reason: string } {
  if (!value || value.length === 0) return { reason: 'empty message value' };
  if (value.length > maxEventBytes)
    return { reason: `event is ${value.length} bytes; the limit is ${maxEventBytes} bytes` };
  let text: string;
  try {
    text = strictUtf8.decode(value);
  } catch {
    return { reason: 'value is not valid UTF-8' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { reason: `value is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { reason: 'value must be a JSON object' };
  return { raw: raw as Record<string, unknown> };
}

/** Consumes the configured source topics; whatever is not accepted or a duplicate is dead-lettered with the reason. */
@Injectable()
export class SourceTopicsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Per (tenant, orderingKey): events of a key published in offset order, a failed one retried in place. */
  private readonly keyed = new KeyLanes();

  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly ingest: IngestEventUseCase,
    private readonly metrics: IngestMetrics,
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The catalog and the dedupe window are loaded before the first event is read (and before HTTP listens).
    await this.ingest.start();
    const loop = this.runtime.consumer({
      groupId: `${this.runtime.client.settings.topicPrefix}herald-event-ingest`,
      topics: this.options.sourceTopics,
      concurrency: 32,
      // Batched commits; a crash re-reads at most ~0.5 s or COMMIT_MAX_EVENTS of events.
      commitIntervalMs: 500,
      handle: (message) => this.handle(message),
    });
    await loop.start();
  }

  async handle(message: ConsumedMessage): Promise<void> {
    const decoded = decodeEventValue(message.value, this.options.maxEventBytes);
    if ('reason' in decoded) {
      this.metrics.rejected.inc({ via: 'kafka' });
      return this.deadLetter(message, decoded.reason);
    }
    const { tenantId, orderingKey } = decoded.raw;
    if (typeof orderingKey !== 'string') return this.ingestOne(message, decoded.raw);
    // Handlers start in offset order; events of one key are published in that order too.
    return this.keyed.run(`${String(tenantId)}|${orderingKey}`, () => this.ingestOne(message, decoded.raw));
  }

  onApplicationShutdown(): void {
    this.keyed.stop();
  }

  private async ingestOne(message: ConsumedMessage, raw: Record<string, unknown>): Promise<void> {
    const traceparent = message.headers.traceparent;
    const result = await this.ingest.execute({
      raw,
      via: 'kafka',
      source: `kafka:${message.topic}`,
      headers: traceparent ? { traceparent } : undefined,
    });
    if (result.outcome === 'invalid' || result.outcome === 'conflict') await this.deadLetter(message, result.reason);
  }

  private deadLetter(message: ConsumedMessage, reason: string): Promise<void> {
    // A value near the broker's size limit would not fit once wrapped in a dead letter.
    const cut = message.value && message.value.length > DEAD_LETTER_VALUE_BYTES;
    const kept = cut ? { ...message, value: message.value!.subarray(0, DEAD_LETTER_VALUE_BYTES) } : message;
    const client = this.runtime.client;
    return client.deadLetter(
      client.topics.eventsDlq,
      kept,
      cut ? `${reason} (value cut to its first ${DEAD_LETTER_VALUE_BYTES} bytes)` : reason,
    );
  }
}
