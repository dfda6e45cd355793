import { Injectable } from '@nestjs/common';
import { conflict } from '@herald/http';
import { EventType } from '../../event-types/event-type.entity';
import { assertOperator, eventTypeChangeEntries } from '../../event-types/event-type-changes';
import { toEventTypeResponse } from '../../event-types/event-type.dto';
import { OutboxWriter } from '../../outbox/outbox-writer';
import type { CreateEventTypeCommand, CreateEventTypeResult } from './create-event-type.command';

/** Adds a catalog entry; it goes to `webhooks.event-types` and `webhooks.audit` via the outbox. */
@Injectable()
export class CreateEventTypeUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  async execute({ principal, input }: CreateEventTypeCommand): Promise<CreateEventTypeResult> {
    assertOperator(principal);
    return this.writer.transact(async (manager) => {
      const existing = await manager.findOne(EventType, { where: { name: input.name } });
      if (existing) throw conflict(`Event type ${input.name} already exists`);
      const now = new Date();
      const type = Object.assign(new EventType(), {
        name: input.name,
        description: input.description ?? null,
        schema: input.schema ?? null,
        deprecated: false,
        version: 1,
        createdAt: now,
        updatedAt: now,
      } satisfies EventType);
      await manager.save(type);
      const messages = eventTypeChangeEntries(this.writer.topics, {
        principal,
        action: 'event_type.created',
        before: null,
        after: type,
      });
      return { result: toEventTypeResponse(type), messages };
    });
  }
}
