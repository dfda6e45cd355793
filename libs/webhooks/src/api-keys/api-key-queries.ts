import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { Principal } from '@herald/http';
import { ApiKey } from './api-key.entity';
import { toApiKeyResponse } from './api-key.dto';

@Injectable()
export class ApiKeyQueries {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  /** The tenant's keys, oldest first; revoked ones only when asked for. */
  async list(principal: Principal, includeRevoked: boolean) {
    const rows = await this.keys.find({
      where: { tenantId: principal.tenantId, ...(includeRevoked ? {} : { revokedAt: IsNull() }) },
      order: { id: 'ASC' },
      take: 1000,
    });
    return { data: rows.map(toApiKeyResponse) };
  }
}
