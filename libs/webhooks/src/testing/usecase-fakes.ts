import { SecretBox, configureSecretBox } from '@herald/secret-box';
import { resolveTopics } from '@herald/contracts';
import type { Principal } from '@herald/http';
import type { EntityManager } from 'typeorm';
import { ApiKey } from '../api-keys/api-key.entity';
import { EventType } from '../event-types/event-type.entity';
import { EventTypeCatalog } from '../event-types/event-type-catalog';
import { PortalSession } from '../portal-sessions/portal-session.entity';
import type { OutboxEntry, OutboxWriter } from '../outbox/outbox-writer';
import { CreateWebhookUseCase } from '../usecases/create-webhook/create-webhook.usecase';
import { WebhookEntity } from '../webhook.entity';
import { WebhookUrlPolicy } from '../webhook-url-policy';
import { WebhookWriter } from '../webhook-writer';
import type { WebhooksOptions } from '../webhooks.options';

// Use cases seal snapshot secrets: the fakes run with a fixed test key-encryption key.
configureSecretBox(new SecretBox([{ id: 'test', key: Buffer.alloc(32, 1) }]));

type Row = Record<string, any>;
const TABLES = new Map<unknown, string>([
  [WebhookEntity, 'webhooks'],
  [ApiKey, 'api_keys'],
  [EventType, 'event_types'],
  [PortalSession, 'portal_sessions'],
]);

const matches = (row: Row, where: Row) => Object.entries(where).every(([k, v]) => row[k] === v);

/** An in-memory EntityManager for the few calls the use cases make (no SQL beyond what they send). */
export class FakeManager {
  readonly tables: Record<string, Row[]> = { webhooks: [], api_keys: [], event_types: [], portal_sessions: [] };
  readonly idempotency = new Map<string, { request_hash: string; response: unknown }>();

  private table(target: unknown): Row[] {
    const name =
      typeof target === 'string' ? target : (TABLES.get(target) ?? TABLES.get((target as object).constructor));
    if (!name) throw new Error(`FakeManager: unknown entity ${String(target)}`);
    return this.tables[name];
  }

  async findOne(entity: unknown, { where }: { where: Row }) {
    const row = this.table(entity).find((r) => matches(r, where));
    return row ? Object.assign(Object.create((entity as { prototype: object }).prototype), structuredClone(row)) : null;
  }

  async save<T extends Row>(entity: T): Promise<T> {
    const rows = this.table(entity);
    const key = 'id' in entity ? 'id' : 'name';
    const at = rows.findIndex((r) => r[key] === entity[key]);
    if (at >= 0) rows[at] = structuredClone({ ...entity });
    else rows.push(structuredClone({ ...entity }));
    return entity;
  }

  async insert(entity: unknown, row: Row) {
    this.table(entity).push(structuredClone({ ...row }));
  }

  async update(entity: unknown, where: Row, patch: Row) {
    for (const row of this.table(entity).filter((r) => matches(r, where))) Object.assign(row, patch);
  }

  async delete(table: string, where: Row) {
    this.tables[table] = this.tables[table].filter((r) => !matches(r, where));
  }

  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (sql.includes('pg_advisory_xact_lock')) return [];
    if (sql.includes('count(*)'))
      return [{ count: this.tables.webhooks.filter((w) => w.tenantId === params[0]).length }];
    if (sql.startsWith('SELECT id FROM webhooks'))
      return this.tables.webhooks.filter((w) => w.tenantId === params[0] && (params[1] as string[]).includes(w.id));
    if (sql.includes('FROM event_types'))
      return this.tables.event_types.map(({ name, deprecated }) => ({ name, deprecated }));
    const key = params.slice(0, 3).join('|');
    if (sql.startsWith('INSERT INTO idempotency_keys')) {
      if (this.idempotency.has(key)) return [];
      this.idempotency.set(key, { request_hash: String(params[3]), response: null });
      return [1];
    }
    if (sql.startsWith('SELECT request_hash')) return [this.idempotency.get(key)];
    if (sql.startsWith('UPDATE idempotency_keys')) this.idempotency.get(key)!.response = JSON.parse(String(params[3]));
    return [];
  }
}

/** The outbox without PostgreSQL or Kafka: runs the change against FakeManager and keeps what it would publish. */
export class FakeOutbox {
  readonly manager = new FakeManager();
  readonly published: OutboxEntry[] = [];
  readonly topics = resolveTopics('t.');

  async transact<T>(change: (manager: EntityManager) => Promise<{ result: T; messages: OutboxEntry[] }>): Promise<T> {
    const { result, messages } = await change(this.manager as unknown as EntityManager);
    this.published.push(...messages);
    return result;
  }

  asWriter(): OutboxWriter {
    return this as unknown as OutboxWriter;
  }

  webhookWriter(): WebhookWriter {
    return new WebhookWriter(this.asWriter());
  }

  topicsOf(): string[] {
    return this.published.map((m) => m.topic);
  }
}

export const tenantAdmin: Principal = {
  tenantId: 'acme',
  scopes: ['admin', 'read'],
  keyId: 'key_admin',
  keyName: 'ops',
};
export const operator: Principal = {
  tenantId: 'default',
  scopes: ['admin', 'read'],
  keyId: 'bootstrap',
  bootstrap: true,
};

export const webhooksOptions = (overrides: Partial<WebhooksOptions> = {}): WebhooksOptions => ({
  webhookLimitPerTenant: 3,
  httpsOnly: false,
  secretRotationOverlapSeconds: 3600,
  allowedTargetCidrs: ['127.0.0.0/8'],
  resolve: async () => [{ address: '127.0.0.1', family: 4 }],
  ...overrides,
});

/** A webhook created through the real use case, as the other use cases' specs start from. */
export async function seedWebhook(outbox: FakeOutbox, principal: Principal = tenantAdmin) {
  const options = webhooksOptions();
  const create = new CreateWebhookUseCase(
    outbox.webhookWriter(),
    new WebhookUrlPolicy(options),
    new EventTypeCatalog(null as never),
    options,
  );
  const webhook = await create.execute({
    principal,
    input: { url: 'http://127.0.0.1:9/hook', events: ['order.*'] } as never,
  });
  outbox.published.length = 0;
  return webhook;
}
