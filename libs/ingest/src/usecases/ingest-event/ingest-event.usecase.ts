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
} from '@herald/contracts';
import { KafkaClient } from '@herald/kafka';
import { reservedEventTypeProblem } from '@herald/operational-webhooks';
import { eventForPrincipal } from '../../event-tenant';
import { EventTypeSchemas } from '../../event-type-schemas';
import { IdempotencyKeyLog } from '../../idempotency-key-log';
import { IdempotencyWindow, fingerprintOf } from '../../idempotency-window';
import { IngestMetrics, type IngestVia } from '../../ingest-metrics';
import {
  DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS,
  DEFAULT_INGEST_MAX_DEPTH,
  DEFAULT_INGEST_MAX_KEYS,
  INGEST_OPTIONS,
  type IngestOptions,
} from '../../ingest.options';
import { checkJsonShape } from '../../json-shape';
import type { IngestEventCommand, IngestEventResult } from './ingest-event.command';

type Valid = { event: EventEnvelope; fingerprint?: string };

/** Validates one event and publishes it (key: tenantId) unless its idempotency key is in the window. */
@Injectable()
export class IngestEventUseCase {
  private readonly window: IdempotencyWindow;
  private readonly windowSeconds: number;

  constructor(
    private readonly kafka: KafkaClient,
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
    private readonly metrics: IngestMetrics,
    private readonly schemas: EventTypeSchemas,
    private readonly idempotencyLog: IdempotencyKeyLog,
  ) {
    this.windowSeconds = options.idempotencyWindowSeconds ?? DEFAULT_IDEMPOTENCY_WINDOW_SECONDS;
    this.window = new IdempotencyWindow(
      {
        windowMs: this.windowSeconds * 1000,
        maxKeys: options.idempotencyMaxKeys ?? DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS,
      },
      idempotencyLog,
    );
  }

  /** Loads the catalog and the dedupe window from Kafka; call before consuming or serving events. */
  async start(): Promise<void> {
    await Promise.all([
      this.schemas.start(),
      this.idempotencyLog.start(this.windowSeconds, (key, record) => this.window.apply(key, record)),
    ]);
  }

  async execute({ raw, via, source, principal, headers }: IngestEventCommand): Promise<IngestEventResult> {
    const input = principal ? eventForPrincipal(raw, principal) : raw;
    const checked = await this.validate(input, source);
    const result =
      'reason' in checked
        ? ({ outcome: 'invalid', reason: checked.reason } as const)
        : await this.accept(checked, via, headers);
    if (result.outcome === 'invalid' || result.outcome === 'conflict') this.metrics.rejected.inc({ via });
    if (result.outcome === 'duplicate') this.metrics.duplicates.inc({ via });
    return result;
  }

  private async validate(raw: unknown, source: string): Promise<Valid | { reason: string }> {
    const shape = checkJsonShape(raw, {
      maxDepth: this.options.maxDepth ?? DEFAULT_INGEST_MAX_DEPTH,
      maxKeys: this.options.maxKeys ?? DEFAULT_INGEST_MAX_KEYS,
    });
    if (shape) return { reason: shape };
    const parsed = ingestEventSchema.safeParse(raw);
    if (!parsed.success) return { reason: describeIssues(parsed.error) };
    const input = parsed.data;
    const reserved = reservedEventTypeProblem(input.eventType);
    if (reserved) return { reason: reserved };
    const now = new Date().toISOString();
    const key = input.idempotencyKey;
    const event: EventEnvelope = {
      eventId: input.eventId ?? (key ? eventIdForIdempotencyKey(input.tenantId, key) : newId('evt')),
      eventType: input.eventType,
      tenantId: input.tenantId,
      occurredAt: input.occurredAt ?? now,
      receivedAt: now,
      source: input.source ?? source,
      schemaVersion: input.schemaVersion ?? 1,
      data: input.data ?? {},
      ...(key ? { idempotencyKey: key } : {}),
      ...(input.orderingKey !== undefined ? { orderingKey: input.orderingKey } : {}),
    };
    const problem = await this.schemas.check(event);
    if (problem) return { reason: problem };
    return key ? { event, fingerprint: fingerprintOf(input) } : { event };
  }

  private async accept({ event, fingerprint }: Valid, via: IngestVia, headers?: IHeaders): Promise<IngestEventResult> {
    const publish = async () => {
      await this.kafka.send(this.kafka.topics.events, [{ key: event.tenantId, value: event, headers }]);
      this.metrics.ingested.inc({ via });
    };
    if (!event.idempotencyKey || !fingerprint) {
      await publish();
      return { outcome: 'accepted', event };
    }
    const candidate = { eventId: event.eventId, fingerprint, receivedAt: event.receivedAt };
    const admission = await this.window.admit(
      idempotencyRecordKey(event.tenantId, event.idempotencyKey),
      candidate,
      publish,
    );
    switch (admission.outcome) {
      case 'accepted':
        return { outcome: 'accepted', event };
      case 'duplicate':
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
}
