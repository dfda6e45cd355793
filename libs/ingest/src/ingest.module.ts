import { Module, type DynamicModule } from '@nestjs/common';
import { EventTypeSchemas } from './event-type-schemas';
import { EventsController } from './events.controller';
import { IdempotencyKeyLog } from './idempotency-key-log';
import { IngestMetrics } from './ingest-metrics';
import { INGEST_OPTIONS, type IngestOptions } from './ingest.options';
import { SourceTopicsConsumer } from './source-topics.consumer';
import { IngestEventUseCase } from './usecases/ingest-event/ingest-event.usecase';

@Module({})
export class IngestModule {
  static forRoot(options: IngestOptions): DynamicModule {
    return {
      module: IngestModule,
      controllers: [EventsController],
      providers: [
        { provide: INGEST_OPTIONS, useValue: options },
        EventTypeSchemas,
        IdempotencyKeyLog,
        IngestMetrics,
        IngestEventUseCase,
        SourceTopicsConsumer,
      ],
    };
  }
}
