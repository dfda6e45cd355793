import {
  Body,
  Controller,
  Inject,
  Injectable,
  Module,
  Post,
  Res,
  UseGuards,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Response } from 'express';
import { HeraldError, ApiKeyGuard, CurrentPrincipal, badRequest, type Principal } from '@herald/http';
import { KafkaRuntime } from '@herald/kafka';
import { EventTypeSchemas } from './event-type-schemas';
import { eventForPrincipal } from './event-tenant';
import { IdempotencyKeyLog } from './idempotency-key-log';
import { INGEST_OPTIONS, IngestEventUseCase, type IngestOptions } from './ingest-event.usecase';

@Controller('v1/events')
@UseGuards(ApiKeyGuard)
class EventsController {
  constructor(private readonly ingest: IngestEventUseCase) {}

  /**
   * Accepts one event (a tenant key: for its own tenant only); 202 once it is durably on
   * `webhooks.events`. A repeat of an idempotencyKey within the window is not published again:
   * 200 with the first event's id, `"duplicate": true` and `Idempotent-Replayed: true`; with
   * different content, 409.
   */
  @Post()
  async publish(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      this.ingest.countRejectedHttp();
      throw badRequest('Invalid request body: must be a JSON object with eventType and tenantId');
    }
    const result = await this.ingest.validateWithCatalog(eventForPrincipal(body as Record<string, unknown>, principal), 'http');
    if (!result.ok) {
      this.ingest.countRejectedHttp();
      throw badRequest(`Invalid event: ${result.reason}`);
    }
    const acceptance = await this.ingest.accept(result, 'http');
    if (acceptance.outcome === 'conflict') {
      this.ingest.countRejectedHttp();
      throw new HeraldError('event_idempotency_conflict', acceptance.reason);
    }
    if (acceptance.outcome === 'duplicate') {
      const { eventId, acceptedAt } = acceptance.first;
      res.status(200).set('Idempotent-Replayed', 'true').json({ eventId, eventType: result.event.eventType, receivedAt: acceptedAt, duplicate: true });
      return;
    }
    res.status(202).json({ eventId: result.event.eventId, eventType: result.event.eventType, receivedAt: result.event.receivedAt });
  }
}

/** Consumes the configured source topics. */
@Injectable()
class SourceTopicsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly ingest: IngestEventUseCase,
    private readonly schemas: EventTypeSchemas,
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The catalog and the dedupe window are loaded before the first event is read (and before HTTP listens).
    await Promise.all([this.schemas.start(), this.ingest.startIdempotencyWindow()]);
    const loop = this.runtime.consumer({
      groupId: `${this.runtime.client.settings.topicPrefix}herald-event-ingest`,
      topics: this.options.sourceTopics,
      concurrency: 32,
      commitIntervalMs: 50,
      handle: async (message) => {
        await this.ingest.fromKafka(message);
      },
    });
    await loop.start();
  }
}

@Module({})
export class IngestModule {
  static forRoot(options: IngestOptions): DynamicModule {
    return {
      module: IngestModule,
      controllers: [EventsController],
      providers: [{ provide: INGEST_OPTIONS, useValue: options }, EventTypeSchemas, IdempotencyKeyLog, IngestEventUseCase, SourceTopicsConsumer],
    };
  }
}
