import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { z } from 'zod';
import { isOperationalEventType } from '@herald/contracts';
import { coveredBySql, notFound, sessionEventTypeSql, sessionSeesWebhook, type Principal } from '@herald/http';
import { loadWebhookStats, toDeliveryStatsResponse } from '@herald/persistence';
import { WebhookEntity } from './webhook.entity';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';
import { toWebhookResponse, type listWebhooksQuerySchema } from './webhook.dto';

@Injectable()
export class WebhookQueries {
  constructor(
    @InjectRepository(WebhookEntity) private readonly webhooks: Repository<WebhookEntity>,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  async get(principal: Principal, id: string) {
    const webhook = await this.webhooks.findOne({ where: { id, tenantId: principal.tenantId } });
    if (!webhook || !sessionSeesWebhook(principal, webhook)) throw notFound(`Webhook ${id}`);
    return webhook;
  }

  /** One webhook as the API shows it, with its delivery statistics. */
  async view(principal: Principal, id: string) {
    const webhook = await this.get(principal, id);
    return (await this.withStats([webhook]))[0];
  }

  /** Adds what audit-log records about deliveries: lastTriggeredAt, success rate, last error. */
  private async withStats(webhooks: WebhookEntity[]) {
    const stats = await loadWebhookStats(
      this.webhooks.manager,
      webhooks.map((w) => w.id),
    );
    return webhooks.map((w) => {
      const s = stats.get(w.id);
      const response = toWebhookResponse(w);
      return {
        ...response,
        lastTriggeredAt: s?.lastTriggeredAt ? s.lastTriggeredAt.toISOString() : response.lastTriggeredAt,
        deliveryStats: toDeliveryStatsResponse(s),
      };
    });
  }

  /** Stable order by id (time-ordered), cursor = last id of the previous page. */
  async list(principal: Principal, query: z.infer<typeof listWebhooksQuerySchema>) {
    const qb = this.webhooks
      .createQueryBuilder('w')
      .where('w.tenant_id = :tenant', { tenant: principal.tenantId })
      .orderBy('w.id', 'ASC')
      .limit(query.limit + 1);
    if (query.cursor) qb.andWhere('w.id > :cursor', { cursor: query.cursor });
    const subset = principal.session;
    if (subset?.webhookIds) qb.andWhere('w.id = ANY(:sessionIds)', { sessionIds: subset.webhookIds });
    if (subset?.eventTypes) {
      // As sessionSeesWebhook: every subscribed filter named by the session or under one of its wildcards.
      const { names, prefixes } = sessionEventTypeSql(subset.eventTypes);
      qb.andWhere(
        `NOT EXISTS (SELECT 1 FROM unnest(w.events) AS f(name) WHERE NOT ${coveredBySql('f.name', ':sessionTypes', ':sessionPrefixes')})`,
        { sessionTypes: names, sessionPrefixes: prefixes },
      );
    }
    if (query.status) qb.andWhere('w.status = :status', { status: query.status });
    if (query.name) qb.andWhere('w.name ILIKE :name', { name: `%${query.name.replace(/[\\%_]/g, '\\$&')}%` });
    if (query.eventType) {
      const type = query.eventType;
      const prefixes = type
        .split('.')
        .slice(0, -1)
        .map((_, i, parts) => `${parts.slice(0, i + 1).join('.')}.*`);
      // `*` does not cover Herald's operational types (eventTypeMatches).
      const all = isOperationalEventType(type) ? [] : ['*'];
      qb.andWhere('w.events && :filters', { filters: [type, ...all, ...prefixes] });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      data: await this.withStats(page),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
      // The tenant's webhook limit, so a client (the admin portal) can show the count against it.
      limit: this.options.webhookLimitPerTenant,
    };
  }
}
