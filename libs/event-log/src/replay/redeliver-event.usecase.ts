import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeraldError, notFound, sessionSeesEventType } from '@herald/http';
import { envelopeFrom } from '../events/event.entity';
import { sessionSubsetSql } from '../common/session-subset';
import { EventQueries } from '../events/event-queries';
import type { RedeliverEventCommand, RedeliverEventResult } from './redeliver-event.command';
import { ORIGINAL_DELIVERY_SQL, ReplayDeliveries } from './replay-deliveries';

/** Sends a stored event again to one or all of the webhooks it was delivered to. */
@Injectable()
export class RedeliverEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventQueries,
    private readonly replays: ReplayDeliveries,
  ) {}

  async execute(command: RedeliverEventCommand): Promise<RedeliverEventResult> {
    const { principal, eventId, webhookId } = command;
    const stored = await this.events.find(principal.tenantId, eventId);
    if (!sessionSeesEventType(principal, stored.eventType)) throw notFound(`Event ${eventId}`);
    const params: unknown[] = [principal.tenantId, eventId];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const only = [...(webhookId ? [`a.webhook_id = ${bind(webhookId)}`] : [])];
    // A portal session limited to some webhooks redelivers only to those.
    only.push(...sessionSubsetSql(principal, { webhookId: 'a.webhook_id' }, bind));
    // The earliest attempt per webhook names the original delivery.
    const rows: { webhook_id: string; original: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (a.webhook_id) a.webhook_id, ${ORIGINAL_DELIVERY_SQL('a.delivery_id')} AS original
         FROM delivery_attempts a
        WHERE a.tenant_id = $1 AND a.event_id = $2 ${only.map((c) => `AND ${c}`).join(' ')}
        ORDER BY a.webhook_id, a.started_at ASC`,
      params,
    );
    if (rows.length === 0) {
      if (webhookId) throw notFound(`Delivery of event ${eventId} to webhook ${webhookId}`);
      if (principal.session?.webhookIds) throw notFound(`Event ${eventId}`);
      throw new HeraldError(
        'conflict',
        `Event ${eventId} was not delivered to any webhook, so there is nothing to redeliver`,
      );
    }
    const event = envelopeFrom(stored);
    const tasks = await this.replays.send(
      rows.map((r) => ({ event, webhookId: r.webhook_id, replayOf: r.original })),
      'redelivery',
      principal.keyId,
    );
    return {
      eventId,
      deliveries: tasks.map((t) => ({
        deliveryId: t.deliveryId,
        webhookId: t.webhookId,
        replayOf: t.replayOf,
        trigger: t.trigger,
      })),
    };
  }
}
