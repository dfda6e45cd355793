import { Injectable } from '@nestjs/common';
import { isOperationalEventType } from '@herald/contracts';
import { badRequest, notFound } from '@herald/http';
import { EventType } from '../../event-types/event-type.entity';
import { assertOperator, eventTypeChangeEntries } from '../../event-types/event-type-changes';
import { toEventTypeResponse } from '../../event-types/event-type.dto';
import { OutboxWriter } from '../../outbox/outbox-writer';
import type { DeprecateEventTypeCommand, DeprecateEventTypeResult } from './deprecate-event-type.command';

/** Deprecates a catalog entry (idempotent); existing subscriptions to it keep working. */
@Injectable()
export class DeprecateEventTypeUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  async execute({ principal, name }: DeprecateEventTypeCommand): Promise<DeprecateEventTypeResult> {
    assertOperator(principal);
    if (isOperationalEventType(name)) throw badRequest(`Event type ${name} is Herald's own and cannot be deprecated`);
    return this.writer.transact(async (manager) => {
      const type = await manager.findOne(EventType, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!type) throw notFound(`Event type ${name}`);
      if (type.deprecated) return { result: toEventTypeResponse(type), messages: [] };
      const before = { ...type };
      type.deprecated = true;
      type.version += 1;
      type.updatedAt = new Date();
      await manager.save(type);
      const action = 'event_type.deprecated';
      return {
        result: toEventTypeResponse(type),
        messages: eventTypeChangeEntries(this.writer.topics, { principal, action, before, after: type }),
      };
    });
  }
}
