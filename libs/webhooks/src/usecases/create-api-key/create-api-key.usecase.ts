import { Injectable } from '@nestjs/common';
import { newId } from '@herald/contracts';
import { HeraldError } from '@herald/http';
import { auditEntry } from '../../audit/audit-entry';
import { OutboxWriter } from '../../outbox/outbox-writer';
import { userInfoOf } from '../../user-info';
import { ApiKey } from '../../api-keys/api-key.entity';
import { apiKeyRecordEntry } from '../../api-keys/api-key-record';
import { displayPrefix, generateApiKeyToken, hashApiKeyToken } from '../../api-keys/api-key-token';
import { toApiKeyResponse } from '../../api-keys/api-key.dto';
import type { CreateApiKeyCommand, CreateApiKeyResult } from './create-api-key.command';

@Injectable()
export class CreateApiKeyUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  async execute({ principal, input }: CreateApiKeyCommand): Promise<CreateApiKeyResult> {
    const tenantId = input.tenantId ?? principal.tenantId;
    if (tenantId !== principal.tenantId && !principal.bootstrap) {
      throw new HeraldError('forbidden', 'Only the bootstrap admin key may create API keys for another tenant');
    }
    const token = generateApiKeyToken();
    const key = Object.assign(new ApiKey(), {
      id: newId('key'),
      tenantId,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      keyHash: hashApiKeyToken(token),
      keyPrefix: displayPrefix(token),
      createdBy: userInfoOf(principal),
      createdAt: new Date(),
      revokedAt: null,
    } satisfies ApiKey);
    return this.writer.transact(async (manager) => {
      await manager.insert(ApiKey, key);
      const view = toApiKeyResponse(key);
      return {
        result: { ...view, key: token },
        messages: [
          // event-ingest authenticates from this record: on Kafka before the token is returned.
          apiKeyRecordEntry(this.writer.topics, key),
          auditEntry(this.writer.topics, {
            principal: { ...principal, tenantId },
            action: 'api_key.created',
            resourceType: 'api_key',
            resourceId: key.id,
            before: null,
            after: view,
          }),
        ],
      };
    });
  }
}
