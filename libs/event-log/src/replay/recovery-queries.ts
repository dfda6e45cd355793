import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { z } from 'zod';
import { notFound, type Principal } from '@herald/http';
import { idField } from '../common/query-fields';
import { Recovery, toRecoveryResponse } from './recovery.entity';

export const listRecoveriesQuerySchema = z.strictObject({ webhookId: idField('webhookId').optional() });

/** Recovery jobs of the caller's tenant, as started by RecoverWebhookUseCase. */
@Injectable()
export class RecoveryQueries {
  constructor(@InjectRepository(Recovery) private readonly recoveries: Repository<Recovery>) {}

  async get(principal: Principal, recoveryId: string) {
    const row = await this.recoveries.findOne({ where: { recoveryId, tenantId: principal.tenantId } });
    if (!row) throw notFound(`Recovery ${recoveryId}`);
    return toRecoveryResponse(row);
  }

  async list(principal: Principal, webhookId?: string) {
    const rows = await this.recoveries.find({
      where: { tenantId: principal.tenantId, ...(webhookId ? { webhookId } : {}) },
      order: { createdAt: 'DESC' },
      take: 100,
    });
    return { data: rows.map(toRecoveryResponse) };
  }
}
