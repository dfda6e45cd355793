import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { z } from 'zod';
import { eventTypeSchema } from '@herald/contracts';
import { notFound, sessionSeesEventType, type Principal } from '@herald/http';
import { AttemptQueries, type AttemptView } from '../attempts/attempt-queries';
import { decodeCursor, page } from '../common/cursor';
import { pageFields, timeRangeFields } from '../common/query-fields';
import { sessionSubsetSql } from '../common/session-subset';
import { EventEntity } from './event.entity';

/**
 * From each webhook's latest attempt: delivered if all succeeded, failed if one failed with no
 * retry scheduled, retrying if one awaits a retry.
 */
export const deliveryStatusSchema = z.enum(['delivered', 'failed', 'retrying', 'no_deliveries'], {
  error: 'status must be delivered, failed, retrying or no_deliveries',
});
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const listEventsQuerySchema = z.strictObject({
  eventType: eventTypeSchema.optional(),
  status: deliveryStatusSchema.optional(),
  ...timeRangeFields,
  ...pageFields,
});
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;

const STATUS_OF_LATEST = `
  CASE WHEN count(*) = 0 THEN 'no_deliveries'
       WHEN bool_and(l.outcome = 'success') THEN 'delivered'
       WHEN bool_or(l.outcome <> 'success' AND (l.next_attempt_at IS NULL OR l.dead_lettered)) THEN 'failed'
       ELSE 'retrying' END`;

interface EventListRow {
  event_id: string;
  tenant_id: string;
  event_type: string;
  occurred_at: Date;
  received_at: Date;
  source: string;
  schema_version: number;
  status: DeliveryStatus;
  webhooks: number;
}

@Injectable()
export class EventQueries {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(EventEntity) private readonly events: Repository<EventEntity>,
    private readonly attempts: AttemptQueries,
  ) {}

  /** Newest first; cursor pagination on (receivedAt, eventId). The status is computed per event. */
  async list(principal: Principal, query: ListEventsQuery) {
    const params: unknown[] = [principal.tenantId];
    const where = ['m.tenant_id = $1'];
    const bind = (value: unknown) => `$${params.push(value)}`;
    if (query.eventType) where.push(`m.event_type = ${bind(query.eventType)}`);
    if (query.since) where.push(`m.received_at >= ${bind(query.since)}`);
    if (query.until) where.push(`m.received_at < ${bind(query.until)}`);
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      where.push(`(m.received_at, m.event_id) < (${bind(c.time)}, ${bind(c.id)})`);
    }
    if (query.status) where.push(`s.status = ${bind(query.status)}`);
    // A portal session sees only its event types, and only the deliveries to its webhooks (events with none are hidden).
    where.push(...sessionSubsetSql(principal, { eventType: 'm.event_type' }, bind));
    const ownWebhooks = sessionSubsetSql(principal, { webhookId: 'a.webhook_id' }, bind);
    if (ownWebhooks.length > 0) where.push('s.webhooks > 0');
    const rows: EventListRow[] = await this.dataSource.query(
      `SELECT m.event_id, m.tenant_id, m.event_type, m.occurred_at, m.received_at, m.source, m.schema_version, s.status, s.webhooks
         FROM messages m
         CROSS JOIN LATERAL (
           SELECT ${STATUS_OF_LATEST} AS status, count(*)::int AS webhooks
             FROM (SELECT DISTINCT ON (a.webhook_id) a.outcome, a.next_attempt_at, a.dead_lettered
                     FROM delivery_attempts a
                    WHERE a.tenant_id = m.tenant_id AND a.event_id = m.event_id ${ownWebhooks.map((c) => `AND ${c}`).join(' ')}
                    ORDER BY a.webhook_id, a.started_at DESC) l
         ) s
        WHERE ${where.join(' AND ')}
        ORDER BY m.received_at DESC, m.event_id DESC
        LIMIT ${bind(query.limit + 1)}`,
      params,
    );
    return page(
      rows,
      query.limit,
      (r) => ({ time: r.received_at, id: r.event_id }),
      (r) => ({
        eventId: r.event_id,
        eventType: r.event_type,
        tenantId: r.tenant_id,
        occurredAt: r.occurred_at.toISOString(),
        receivedAt: r.received_at.toISOString(),
        source: r.source,
        schemaVersion: r.schema_version,
        status: r.status,
        webhooks: r.webhooks,
      }),
    );
  }

  /** The newest stored copy of an event of the caller's tenant (an event id re-sent later is stored again). */
  async find(tenantId: string, eventId: string): Promise<EventEntity> {
    const row = await this.events.findOne({ where: { tenantId, eventId }, order: { receivedAt: 'DESC' } });
    if (!row) throw notFound(`Event ${eventId}`);
    return row;
  }

  /** One event in full with its deliveries per webhook, each with every attempt. */
  async get(principal: Principal, eventId: string) {
    const event = await this.find(principal.tenantId, eventId);
    if (!sessionSeesEventType(principal, event.eventType)) throw notFound(`Event ${eventId}`);
    const all = await this.attempts.ofEvent(principal.tenantId, eventId);
    const shown = await this.attempts.visible(principal, all);
    const attempts = all.filter((a) => shown.has(a.attemptId));
    // A session with a subset sees an event only through deliveries to its webhooks (as the list does).
    const subset = principal.session?.webhookIds ?? principal.session?.eventTypes;
    if (subset && attempts.length === 0) throw notFound(`Event ${eventId}`);
    const byWebhook = new Map<string, AttemptView[]>();
    for (const attempt of attempts) {
      const list = byWebhook.get(attempt.webhookId) ?? [];
      list.push(attempt);
      byWebhook.set(attempt.webhookId, list);
    }
    const deliveries = [...byWebhook.entries()].map(([webhookId, list]) => ({
      webhookId,
      status: webhookStatus(list[list.length - 1]),
      attempts: list,
    }));
    const statuses = deliveries.map((d) => d.status);
    return {
      eventId: event.eventId,
      eventType: event.eventType,
      tenantId: event.tenantId,
      occurredAt: event.occurredAt.toISOString(),
      receivedAt: event.receivedAt.toISOString(),
      source: event.source,
      schemaVersion: event.schemaVersion,
      idempotencyKey: event.idempotencyKey,
      data: event.data,
      status: eventStatus(statuses),
      deliveries,
    };
  }
}

function webhookStatus(latest: AttemptView): Exclude<DeliveryStatus, 'no_deliveries'> {
  if (latest.outcome === 'success') return 'delivered';
  return latest.nextAttemptAt === null || latest.deadLettered ? 'failed' : 'retrying';
}

/** The same rule as the SQL in `list`, for one event already loaded. */
export function eventStatus(statuses: DeliveryStatus[]): DeliveryStatus {
  if (statuses.length === 0) return 'no_deliveries';
  if (statuses.every((s) => s === 'delivered')) return 'delivered';
  if (statuses.includes('failed')) return 'failed';
  return 'retrying';
}
