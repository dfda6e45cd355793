import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { z } from 'zod';
import { notFound, type Principal } from '@herald/http';
import { sessionSubsetWhere, visibleWebhooks } from '../common/session-subset';
import { idField } from '../common/query-fields';
import { Recovery, toRecoveryResponse } from './recovery.entity';

export const listRecoveriesQuerySchema = z.strictObject({ webhookId: idField('webhookId').optional() });

/** Recovery jobs of the caller's tenant, as started by RecoverWebhookUseCase. */
@Injectable()
export class RecoveryQueries {
  constructor(@InjectRepository(Recovery) private readonly recoveries: Repository<Recovery>) {}

  async get(principal: Principal, recoveryId: string) {
    const row = await this.recoveries.findOne({ where: { recoveryId, tenantId: principal.tenantId } });
    const shown =
      row && (await visibleWebhooks(this.recoveries.manager, principal, [row.webhookId])).has(row.webhookId);
    if (!row || !shown) throw notFound(`Recovery ${recoveryId}`);
    return toRecoveryResponse(row);
  }

  /** Newest first; a portal session limited to some webhooks sees only their recoveries. */
  async list(principal: Principal, webhookId?: string) {
    const qb = this.recoveries
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenant', { tenant: principal.tenantId })
      .orderBy('r.created_at', 'DESC')
      .limit(100);
    if (webhookId) qb.andWhere('r.webhook_id = :webhookId', { webhookId });
    const subset = sessionSubsetWhere(principal, { webhookId: 'r.webhook_id' });
    if (subset) qb.andWhere(subset.sql, subset.params);
    return { data: (await qb.getMany()).map(toRecoveryResponse) };
  }
}
