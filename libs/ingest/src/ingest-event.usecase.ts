import { Inject, Injectable } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import {
  DEFAULT_IDEMPOTENCY_WINDOW_SECONDS,
  describeIssues,
  eventIdForIdempotencyKey,
  idempotencyRecordKey,
  ingestEventSchema,
  newId,
  type EventEnvelope,
  type IdempotencyKeyRecord,
} from '@herald/contracts';
import { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import { checkJsonShape } from './json-shape';
import { EventTypeSchemas } from './event-type-schemas';
import { IdempotencyKeyLog } from './idempotency-key-log';
import { IdempotencyWindow, fingerprintOf } from './idempotency-window';

export const INGEST_OPTIONS = Symbol('INGEST_OPTIONS');

export interface IngestOptions {
  sourceTopics: string[];
  maxEventBytes: number;
  /** Deepest nesting accepted (objects and arrays); the event itself is level 1. */
  maxDepth?: number;
  /** Most object keys and array elements accepted over the whole event. */
  maxKeys?: number;
  /** How long a (tenant, idempotencyKey) is remembered. */
  idempotencyWindowSeconds?: number;
  /** Most idempotency keys kept in memory; the oldest are forgotten first. */
  idempotencyMaxKeys?: number;
}

export const DEFAULT_INGEST_MAX_DEPTH = 32;
export const DEFAULT_INGEST_MAX_KEYS = 10_000;
export const DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS = 1_000_000;
/** A dead letter keeps at most this much of the original value, so it always fits in Kafka. */
const DEAD_LETTER_VALUE_BYTES = 64 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type IngestResult =
  /** fingerprint: of the validated input, set when the event has an idempotencyKey. */
  | { ok: true; event: EventEnvelope; fingerprint?: string }
  | { ok: false; reason: string };

/** What became of a valid event: published, or a repeat of its idempotency key. */
export type Acceptance =
  | { outcome: 'accepted'; event: EventEnvelope }
  | { outcome: 'duplicate'; event: EventEnvelope; first: IdempotencyKeyRecord }
  | { outcome: 'conflict'; event: EventEnvelope; reason: string };

/** Validates one raw event and publishes its canonical envelope (key: tenantId). */
@Injectable()
export class IngestEventUseCase {
  private readonly ingested;
  private readonly rejected;
  private readonly duplicates;
  private readonly window: IdempotencyWindow;
  private readonly windowSeconds: number;

  constructor(
    private readonly kafka: KafkaClient,
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
    metrics: MetricsService,
    private readonly schemas: EventTypeSchemas,
    private readonly idempotencyLog: IdempotencyKeyLog,
  ) {
    this.ingested = metrics.counter({ name: 'herald_events_ingested_total', help: 'Events accepted', labelNames: ['via'] });
    this.rejected = metrics.counter({ name: 'herald_events_rejected_total', help: 'Events refused or dead-lettered', labelNames: ['via'] });
    this.duplicates = metrics.counter({
      name: 'herald_events_duplicates_total',
      help: 'Repeats of an idempotency key within the window, not published again',
      labelNames: ['via'],
    });
    this.windowSeconds = options.idempotencyWindowSeconds ?? DEFAULT_IDEMPOTENCY_WINDOW_SECONDS;
    this.window = new IdempotencyWindow(
      { windowMs: this.windowSeconds * 1000, maxKeys: options.idempotencyMaxKeys ?? DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS },
      idempotencyLog,
    );
  }

  /** Loads the dedupe window from Kafka; call before consuming or serving events. */
  startIdempotencyWindow(): Promise<void> {
    return this.idempotencyLog.start(this.windowSeconds, (key, record) => this.window.apply(key, record));
  }

  /** Validates without publishing. */
  validate(raw: unknown, source: string): IngestResult {
    const shape = checkJsonShape(raw, {
      maxDepth: this.options.maxDepth ?? DEFAULT_INGEST_MAX_DEPTH,
      maxKeys: this.options.maxKeys ?? DEFAULT_INGEST_MAX_KEYS,
    });
    if (shape) return { ok: false, reason: shape };
    const parsed = ingestEventSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
    const input = parsed.data;
    const now = new Date().toISOString();
    const key = input.idempotencyKey;
    return {
      ok: true,
      ...(key ? { fingerprint: fingerprintOf(input) } : {}),
      event: {
        eventId: input.eventId ?? (key ? eventIdForIdempotencyKey(input.tenantId, key) : newId('evt')),
        eventType: input.eventType,
        tenantId: input.tenantId,
        occurredAt: input.occurredAt ?? now,
        receivedAt: now,
        source: input.source ?? source,
        schemaVersion: input.schemaVersion ?? 1,
        data: input.data ?? {},
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      },
    };
  }

  /** Validates the envelope, then the event against the event-type catalog (type declared, data matches its schema). */
  async validateWithCatalog(raw: unknown, source: string): Promise<IngestResult> {
    const result = this.validate(raw, source);
    if (!result.ok) return result;
    const problem = await this.schemas.check(result.event);
    return problem ? { ok: false, reason: problem } : result;
  }

  async publish(event: EventEnvelope, via: 'http' | 'kafka', headers?: IHeaders): Promise<void> {
    await this.kafka.send(this.kafka.topics.events, [{ key: event.tenantId, value: event, headers }]);
    this.ingested.inc({ via });
  }

  /** Publishes a validated event, unless it repeats an idempotency key seen within the window. */
  async accept(valid: { event: EventEnvelope; fingerprint?: string }, via: 'http' | 'kafka', headers?: IHeaders): Promise<Acceptance> {
    const { event, fingerprint } = valid;
    if (!event.idempotencyKey || !fingerprint) {
      await this.publish(event, via, headers);
      return { outcome: 'accepted', event };
    }
    const admission = await this.window.admit(
      idempotencyRecordKey(event.tenantId, event.idempotencyKey),
      { eventId: event.eventId, fingerprint, receivedAt: event.receivedAt },
      () => this.publish(event, via, headers),
    );
    switch (admission.outcome) {
      case 'accepted':
        return { outcome: 'accepted', event };
      case 'duplicate':
        this.duplicates.inc({ via });
        return { outcome: 'duplicate', event, first: admission.record };
      case 'conflict':
        // Names the key's problem only: the first event's content is not the caller's to see.
        return {
          outcome: 'conflict',
          event,
          reason: `idempotencyKey was already used within the last ${this.windowSeconds} s for an event with different content; use a new key for a new event`,
        };
    }
  }

  /** Parses a Kafka message value; anything unusable is dead-lettered with the reason. */
  async fromKafka(message: {
    topic: string;
    partition: number;
    offset: string;
    key: string | null;
    value: Buffer | null;
    headers: IHeaders;
  }): Promise<IngestResult> {
    const reject = async (reason: string): Promise<IngestResult> => {
      // A value near the broker's size limit would not fit once wrapped in a dead letter.
      const cut = message.value && message.value.length > DEAD_LETTER_VALUE_BYTES;
      const kept = cut ? { ...message, value: message.value!.subarray(0, DEAD_LETTER_VALUE_BYTES) } : message;
      await this.kafka.deadLetter(
        this.kafka.topics.eventsDlq,
        kept,
        cut ? `${reason} (value cut to its first ${DEAD_LETTER_VALUE_BYTES} bytes)` : reason,
      );
      this.rejected.inc({ via: 'kafka' });
      return { ok: false, reason };
    };
    if (!message.value || message.value.length === 0) return reject('empty message value');
    if (message.value.length > this.options.maxEventBytes) {
      return reject(`event is ${message.value.length} bytes; the limit is ${this.options.maxEventBytes} bytes`);
    }
    let text: string;
    try {
      text = strictUtf8.decode(message.value);
    } catch {
      return reject('value is not valid UTF-8');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return reject(`value is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return reject('value must be a JSON object');
    const result = await this.validateWithCatalog(raw, `kafka:${message.topic}`);
    if (!result.ok) return reject(result.reason);
    const traceparent = message.headers.traceparent;
    const acceptance = await this.accept(result, 'kafka', traceparent ? { traceparent } : undefined);
    if (acceptance.outcome === 'conflict') return reject(acceptance.reason);
    return result;
  }

  countRejectedHttp(): void {
    this.rejected.inc({ via: 'http' });
  }
}
