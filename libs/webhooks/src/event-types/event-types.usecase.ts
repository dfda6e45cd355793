import { Injectable } from '@nestjs/common';
import { HeraldError, conflict, notFound, type Principal } from '@herald/http';
import { auditEntry } from '../audit/audit-entry';
import { OutboxWriter, type OutboxEntry } from '../outbox/outbox-writer';
import { EventType } from './event-type.entity';
import { toEventTypeDefinition, toEventTypeResponse, type CreateEventTypeInput } from './event-type.dto';

/** The catalog is shared by every tenant of the deployment, so only the platform operator edits it. */
function assertOperator(principal: Principal): void {
  if (!principal.bootstrap) {
    throw new HeraldError('forbidden', 'Only the platform operator (the bootstrap admin key) may change the event-type catalog');
  }
}

/** Creates and deprecates catalog entries; each change goes to `webhooks.event-types` and `webhooks.audit` via the outbox. */
@Injectable()
export class ManageEventTypesUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  create(principal: Principal, input: CreateEventTypeInput) {
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
      return { result: toEventTypeResponse(type), messages: this.messages(principal, 'event_type.created', null, type) };
    });
  }

  deprecate(principal: Principal, name: string) {
    assertOperator(principal);
    return this.writer.transact(async (manager) => {
      const type = await manager.findOne(EventType, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!type) throw notFound(`Event type ${name}`);
      if (type.deprecated) return { result: toEventTypeResponse(type), messages: [] };
      const before = { ...type };
      type.deprecated = true;
      type.version += 1;
      type.updatedAt = new Date();
      await manager.save(type);
      return { result: toEventTypeResponse(type), messages: this.messages(principal, 'event_type.deprecated', before, type) };
    });
  }

  private messages(principal: Principal, action: string, before: EventType | null, after: EventType): OutboxEntry[] {
    const topics = this.writer.topics;
    return [
      { topic: topics.eventTypes, key: after.name, value: toEventTypeDefinition(after) },
      auditEntry(topics, {
        principal,
        action,
        resourceType: 'event_type',
        resourceId: after.name,
        before: before ? toEventTypeResponse(before) : null,
        after: toEventTypeResponse(after),
      }),
    ];
  }
}
