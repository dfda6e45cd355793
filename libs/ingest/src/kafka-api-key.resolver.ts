import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { API_KEY_TOKEN_PATTERN, apiKeyRecordSchema, hashApiKeyToken, type ApiKeyRecord } from '@herald/contracts';
import { HeraldError, type ApiKeyResolver, type Principal } from '@herald/http';
import { KafkaRuntime, type CompactedTopicView } from '@herald/kafka';

/** How long a request waits for the view to catch up on a miss before answering 503. */
const MISS_CATCH_UP_MS = 5000;

// A miss waits for one coalesced catch-up, so a fresh key works on first use. A hit is trusted:
// a per-request catch-up would cost a broker round trip, and the view follows continuously, so a
// revoke takes effect once its record is read (typically well under a second).
@Injectable()
export class KafkaApiKeyResolver implements ApiKeyResolver, OnApplicationBootstrap {
  private view: Pick<CompactedTopicView<ApiKeyRecord>, 'start' | 'catchUpCoalesced'> | null = null;
  private starting: Promise<void> | null = null;
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly hashById = new Map<string, string>();

  constructor(private readonly runtime: KafkaRuntime) {}

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  /** Loads every key; idempotent. */
  start(): Promise<void> {
    if (!this.starting) {
      const client = this.runtime.client;
      this.view = this.runtime.view<ApiKeyRecord>({
        topic: client.topics.apiKeys,
        groupBase: `${client.settings.topicPrefix}herald-event-ingest-api-keys`,
        parse: (value) => apiKeyRecordSchema.parse(JSON.parse(value.toString('utf8'))),
        onChange: (keyId, record) => this.apply(keyId, record),
      });
      this.starting = this.view.start();
    }
    return this.starting;
  }

  async resolve(token: string): Promise<Omit<Principal, 'bootstrap'> | null> {
    // Not one of our tokens: it cannot match, so it is not worth a catch-up either.
    if (!API_KEY_TOKEN_PATTERN.test(token)) return null;
    const hash = hashApiKeyToken(token);
    let record = this.byHash.get(hash);
    if (!record) {
      await this.catchUp();
      record = this.byHash.get(hash);
    }
    // Revocation is permanent, so a revoked record needs no catch-up to be believed.
    if (!record || record.revokedAt !== null) return null;
    return { tenantId: record.tenantId, scopes: record.scopes, keyId: record.keyId, keyName: record.name };
  }

  private async catchUp(): Promise<void> {
    try {
      await this.view?.catchUpCoalesced(MISS_CATCH_UP_MS);
    } catch {
      // Without an up-to-date view an unknown key might be a new one: refuse to guess.
      throw new HeraldError('unavailable', 'API keys cannot be checked right now (Kafka unreachable); retry shortly');
    }
  }

  private apply(keyId: string, record: ApiKeyRecord | null): void {
    const previous = this.hashById.get(keyId);
    if (previous !== undefined && previous !== record?.keyHash) this.byHash.delete(previous);
    if (record) {
      this.byHash.set(record.keyHash, record);
      this.hashById.set(keyId, record.keyHash);
    } else {
      this.hashById.delete(keyId);
    }
  }
}
