import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttemptQueries } from './attempts/attempt-queries';
import { AttemptsController } from './attempts/attempts.controller';
import { DeliveryAttempt } from './attempts/delivery-attempt.entity';
import { AuditEntry } from './audit-trail/audit-entry.entity';
import { AuditTrailController, AuditTrailQueries } from './audit-trail/audit-trail.controller';
import { EVENT_LOG_OPTIONS, type EventLogOptions } from './event-log.options';
import { EventEntity } from './events/event.entity';
import { EventQueries } from './events/event-queries';
import { EventsController } from './events/events.controller';
import { DeliveryReplay } from './replay/delivery-replay.entity';
import { RecoverWebhookUseCase } from './replay/recover-webhook.usecase';
import { RecoveriesController } from './replay/recoveries.controller';
import { Recovery } from './replay/recovery.entity';
import { RecoveryQueries } from './replay/recovery-queries';
import { RedeliverEventUseCase } from './replay/redeliver-event.usecase';
import { ReplayDeliveries } from './replay/replay-deliveries';
import { EventLogConsumer } from './storage/event-log.consumer';
import { EventLogStore } from './storage/event-log-store';
import { PartitionMaintenance } from './storage/partition-maintenance.service';
import { WebhookStats } from '@herald/persistence';

/** Every table audit-log maps (the app passes them to its data source). */
export const eventLogEntities = [DeliveryAttempt, EventEntity, AuditEntry, DeliveryReplay, Recovery, WebhookStats];

/** audit-log: stores attempts, events and admin changes; serves them; replays deliveries. */
@Module({})
export class EventLogModule {
  static forRoot(options: EventLogOptions): DynamicModule {
    return {
      module: EventLogModule,
      imports: [TypeOrmModule.forFeature(eventLogEntities)],
      controllers: [EventsController, AttemptsController, AuditTrailController, RecoveriesController],
      providers: [
        { provide: EVENT_LOG_OPTIONS, useValue: options },
        EventLogStore,
        PartitionMaintenance,
        EventLogConsumer,
        AttemptQueries,
        EventQueries,
        AuditTrailQueries,
        ReplayDeliveries,
        RedeliverEventUseCase,
        RecoverWebhookUseCase,
        RecoveryQueries,
      ],
      exports: [PartitionMaintenance, RecoverWebhookUseCase, EventLogStore],
    };
  }
}
