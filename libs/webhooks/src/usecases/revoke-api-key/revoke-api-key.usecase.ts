import { Injectable } from '@nestjs/common';
import { notFound } from '@herald/http';
import { auditEntry } from '../../audit/audit-entry';
import { OutboxWriter } from '../../outbox/outbox-writer';
import { ApiKey } from '../../api-keys/api-key.entity';
import { apiKeyRecordEntry } from '../../api-keys/api-key-record';
import { toApiKeyResponse } from '../../api-keys/api-key.dto';
import type { RevokeApiKeyCommand, RevokeApiKeyResult } from './revoke-api-key.command';

/**
 * Permanent and idempotent. Immediate where keys are read from PostgreSQL; event-ingest follows once it reads
 * the revoked record, which is published before this returns.
 */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  execute({ principal, keyId }: RevokeApiKeyCommand): Promise<RevokeApiKeyResult> {
    return this.writer.transact<RevokeApiKeyResult>(async (manager) => {
      const key = await manager.findOne(ApiKey, {
        where: { id: keyId, tenantId: principal.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!key) throw notFound(`API key ${keyId}`);
      if (key.revokedAt) return { result: { revoked: false }, messages: [] };
      const before = toApiKeyResponse(key);
      key.revokedAt = new Date();
      await manager.update(ApiKey, { id: key.id }, { revokedAt: key.revokedAt });
      return {
        result: { revoked: true },
        messages: [
          apiKeyRecordEntry(this.writer.topics, key),
          auditEntry(this.writer.topics, {
            principal,
            action: 'api_key.revoked',
            resourceType: 'api_key',
            resourceId: key.id,
            before,
            after: toApiKeyResponse(key),
          }),
        ],
      };
    });
  }
}
