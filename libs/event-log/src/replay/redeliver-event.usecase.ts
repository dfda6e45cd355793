import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeraldError, notFound } from '@herald/http';
import { envelopeFrom } from '../events/event.entity';
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
    const params: unknown[] = [principal.tenantId, eventId];
    if (webhookId) params.push(webhookId);
    // The earliest attempt per webhook names the original delivery.
    const rows: { webhook_id: string; original: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (a.webhook_id) a.webhook_id, ${ORIGINAL_DELIVERY_SQL('a.delivery_id')} AS original
         FROM delivery_attempts a
        WHERE a.tenant_id = $1 AND a.event_id = $2 ${webhookId ? 'AND a.webhook_id = $3' : ''}
        ORDER BY a.webhook_id, a.started_at ASC`,
      params,
    );
    if (rows.length === 0) {
      if (webhookId) throw notFound(`Delivery of event ${eventId} to webhook ${webhookId}`);
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
