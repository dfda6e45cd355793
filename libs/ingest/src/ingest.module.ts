import {
  Body,
  Controller,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Post,
  UseGuards,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, badRequest, type Principal } from '@herald/http';
import { KafkaRuntime } from '@herald/kafka';
import { EventTypeSchemas } from './event-type-schemas';
import { eventForPrincipal } from './event-tenant';
import { INGEST_OPTIONS, IngestEventUseCase, type IngestOptions } from './ingest-event.usecase';

@Controller('v1/events')
@UseGuards(ApiKeyGuard)
class EventsController {
  constructor(private readonly ingest: IngestEventUseCase) {}

  /** Accepts one event (a tenant key: for its own tenant only); 202 once it is durably on `webhooks.events`. */
  @Post()
  @HttpCode(202)
  async publish(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      this.ingest.countRejectedHttp();
      throw badRequest('Invalid request body: must be a JSON object with eventType and tenantId');
    }
    const result = await this.ingest.validateWithCatalog(eventForPrincipal(body as Record<string, unknown>, principal), 'http');
    if (!result.ok) {
      this.ingest.countRejectedHttp();
      throw badRequest(`Invalid event: ${result.reason}`);
    }
    await this.ingest.publish(result.event, 'http');
    return { eventId: result.event.eventId, eventType: result.event.eventType, receivedAt: result.event.receivedAt };
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
    // The catalog is loaded before the first event is read (and before HTTP listens).
    await this.schemas.start();
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
      providers: [{ provide: INGEST_OPTIONS, useValue: options }, EventTypeSchemas, IngestEventUseCase, SourceTopicsConsumer],
    };
  }
}
