import { Controller, Get, Injectable, Query, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiKeyGuard, CurrentPrincipal, HeraldError, parseInput, type Principal } from '@herald/http';
import { newestFirst, page } from '../common/cursor';
import { idField, pageFields, timeRangeFields } from '../common/query-fields';
import { AuditEntry, toAuditResponse } from './audit-entry.entity';

export const listAuditQuerySchema = z.strictObject({
  resourceId: idField('resourceId').optional(),
  resourceType: z.string().max(64, 'resourceType must be at most 64 characters').optional(),
  action: z.string().max(64, 'action must be at most 64 characters').optional(),
  ...timeRangeFields,
  ...pageFields,
});

/** The admin audit trail of the caller's tenant, newest first. */
@Injectable()
export class AuditTrailQueries {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async list(principal: Principal, query: z.infer<typeof listAuditQuerySchema>) {
    const qb = newestFirst(
      this.entries.createQueryBuilder('e').where('e.tenant_id = :tenant', { tenant: principal.tenantId }),
      'e.occurred_at',
      'e.audit_id',
      query,
    );
    if (query.resourceId) qb.andWhere('e.resource_id = :resourceId', { resourceId: query.resourceId });
    if (query.resourceType) qb.andWhere('e.resource_type = :resourceType', { resourceType: query.resourceType });
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    const session = principal.session;
    if (session?.eventTypes && !session.webhookIds) {
      // Audit entries do not say which event types a change touched, so none can be shown safely.
      throw new HeraldError('forbidden', 'A portal session limited to event types cannot read the audit log');
    }
    if (session?.webhookIds) {
      qb.andWhere("e.resource_type = 'webhook' AND e.resource_id = ANY(:sessionIds)", {
        sessionIds: session.webhookIds,
      });
    }
    const rows = await qb.getMany();
    return page(rows, query.limit, (r) => ({ time: r.occurredAt, id: r.auditId }), toAuditResponse);
  }
}

@Controller('v1/audit-log')
@UseGuards(ApiKeyGuard)
export class AuditTrailController {
  constructor(private readonly queries: AuditTrailQueries) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() raw: unknown) {
    return this.queries.list(principal, parseInput(listAuditQuerySchema, raw, 'query'));
  }
}
