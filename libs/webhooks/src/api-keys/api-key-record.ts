import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ApiKeyRecord, TopicNames } from '@herald/contracts';
import { LOGGER } from '@herald/observability';
import { OutboxWriter, type OutboxEntry } from '../outbox/outbox-writer';
import { ApiKey } from './api-key.entity';

/** The `webhooks.api-keys` record of a key: its hash, never its token. */
export function apiKeyRecordEntry(topics: TopicNames, key: ApiKey): OutboxEntry {
  const value: ApiKeyRecord = {
    keyId: key.id,
    keyHash: key.keyHash,
    tenantId: key.tenantId,
    scopes: key.scopes,
    name: key.name,
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
  return { topic: topics.apiKeys, key: key.id, value };
}

/**
 * Republishes every key's record at start (backfill, and repair after a rolling upgrade); not a migration, as
 * migrations run without Kafka settings. The SHARE lock keeps a stale snapshot from following a revocation.
 */
@Injectable()
export class ApiKeyRecordsBackfill implements OnApplicationBootstrap {
  constructor(
    private readonly writer: OutboxWriter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const count = await this.publishAll();
    this.logger.info({ keys: count }, 'API key records republished');
  }

  /** Writes one outbox row per key (revoked ones included) in one transaction; resolves with the count. */
  publishAll(): Promise<number> {
    return this.writer.transact(async (manager) => {
      await manager.query('LOCK TABLE api_keys IN SHARE MODE');
      const keys = await manager.find(ApiKey, { order: { id: 'ASC' } });
      return { result: keys.length, messages: keys.map((key) => apiKeyRecordEntry(this.writer.topics, key)) };
    });
  }
}
