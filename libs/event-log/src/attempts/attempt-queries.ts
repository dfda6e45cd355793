import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { z } from 'zod';
import { attemptOutcomeSchema, webhookPayloadFor } from '@herald/contracts';
import { notFound, sessionSeesEventType, type Principal } from '@herald/http';
import { newestFirst, page } from '../common/cursor';
import { idField, pageFields, timeRangeFields } from '../common/query-fields';
import { sessionSubsetWhere, visibleWebhooks } from '../common/session-subset';
import { EventEntity, envelopeFrom } from '../events/event.entity';
import { DeliveryReplay } from '../replay/delivery-replay.entity';
import { DeliveryAttempt, toAttemptResponse } from './delivery-attempt.entity';

export const listAttemptsQuerySchema = z.strictObject({
  webhookId: idField('webhookId').optional(),
  eventId: idField('eventId').optional(),
  deliveryId: idField('deliveryId').optional(),
  outcome: attemptOutcomeSchema.optional(),
  ...timeRangeFields,
  ...pageFields,
});
export type ListAttemptsQuery = z.infer<typeof listAttemptsQuerySchema>;

/** Reads attempts of the caller's tenant only, each linked to the delivery it replays (if any). */
@Injectable()
export class AttemptQueries {
  constructor(
    @InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>,
    @InjectRepository(DeliveryReplay) private readonly replays: Repository<DeliveryReplay>,
    @InjectRepository(EventEntity) private readonly events: Repository<EventEntity>,
  ) {}

  /** Newest first; cursor pagination on (startedAt, attemptId). */
  async list(principal: Principal, query: ListAttemptsQuery) {
    const qb = newestFirst(
      this.attempts.createQueryBuilder('a').where('a.tenant_id = :tenant', { tenant: principal.tenantId }),
      'a.started_at',
      'a.attempt_id',
      query,
    );
    if (query.webhookId) qb.andWhere('a.webhook_id = :webhookId', { webhookId: query.webhookId });
    if (query.eventId) qb.andWhere('a.event_id = :eventId', { eventId: query.eventId });
    if (query.deliveryId) qb.andWhere('a.delivery_id = :deliveryId', { deliveryId: query.deliveryId });
    if (query.outcome) qb.andWhere('a.outcome = :outcome', { outcome: query.outcome });
    const subset = sessionSubsetWhere(principal, { webhookId: 'a.webhook_id', eventType: 'a.event_type' });
    if (subset) qb.andWhere(subset.sql, subset.params);
    const rows = await qb.getMany();
    const shown = rows.slice(0, query.limit);
    const [links, bodies] = await Promise.all([this.replayLinks(shown), this.requestBodies(principal.tenantId, shown)]);
    return page(
      rows,
      query.limit,
      (r) => ({ time: r.startedAt, id: r.attemptId }),
      (r) => withLink(r, links, bodies),
    );
  }

  async get(principal: Principal, attemptId: string) {
    const row = await this.attempts.findOne({ where: { attemptId, tenantId: principal.tenantId } });
    if (!row || !(await this.visible(principal, [row])).has(row.attemptId)) throw notFound(`Attempt ${attemptId}`);
    const [links, bodies] = await Promise.all([this.replayLinks([row]), this.requestBodies(principal.tenantId, [row])]);
    return withLink(row, links, bodies);
  }

  /** The ids of the attempts a portal session may see: of its event types, to its webhooks. */
  async visible(principal: Principal, rows: { attemptId: string; webhookId: string; eventType: string }[]) {
    const webhooks = await visibleWebhooks(this.attempts.manager, principal, [
      ...new Set(rows.map((r) => r.webhookId)),
    ]);
    return new Set(
      rows
        .filter((r) => webhooks.has(r.webhookId) && sessionSeesEventType(principal, r.eventType))
        .map((r) => r.attemptId),
    );
  }

  /** Every attempt of one event, oldest first. */
  async ofEvent(tenantId: string, eventId: string) {
    const rows = await this.attempts.find({
      where: { tenantId, eventId },
      order: { startedAt: 'ASC', attemptId: 'ASC' },
    });
    const [links, bodies] = await Promise.all([this.replayLinks(rows), this.requestBodies(tenantId, rows)]);
    return rows.map((r) => withLink(r, links, bodies));
  }

  /**
   * Attempts refer to their event instead of copying the body: the newest stored copy received
   * before the attempt started (an event id re-sent later is stored again), else null.
   */
  private async requestBodies(tenantId: string, rows: DeliveryAttempt[]): Promise<Map<string, string | null>> {
    const bodies = new Map<string, string | null>();
    const referring = rows.filter((r) => r.request.body === undefined);
    for (const row of rows) if (row.request.body !== undefined) bodies.set(row.attemptId, row.request.body);
    if (referring.length === 0) return bodies;
    const events = await this.events.find({
      where: { tenantId, eventId: In([...new Set(referring.map((r) => r.eventId))]) },
      order: { receivedAt: 'DESC' },
    });
    for (const row of referring) {
      const copies = events.filter((e) => e.eventId === row.eventId);
      const sent = copies.find((e) => e.receivedAt <= row.startedAt) ?? copies[copies.length - 1];
      bodies.set(row.attemptId, sent ? JSON.stringify(webhookPayloadFor(envelopeFrom(sent))) : null);
    }
    return bodies;
  }

  private async replayLinks(rows: DeliveryAttempt[]): Promise<Map<string, DeliveryReplay>> {
    const ids = [...new Set(rows.map((r) => r.deliveryId))];
    if (ids.length === 0) return new Map();
    const replays = await this.replays.find({ where: { deliveryId: In(ids) } });
    return new Map(replays.map((r) => [r.deliveryId, r]));
  }
}

export type AttemptView = ReturnType<typeof withLink>;

function withLink(row: DeliveryAttempt, links: Map<string, DeliveryReplay>, bodies: Map<string, string | null>) {
  const link = links.get(row.deliveryId);
  return {
    ...toAttemptResponse(row, bodies.get(row.attemptId) ?? null),
    trigger: link ? link.trigger : row.attempt > 1 ? 'retry' : 'event',
    replayOf: link ? link.replayOf : null,
    recoveryId: link ? link.recoveryId : null,
  };
}
