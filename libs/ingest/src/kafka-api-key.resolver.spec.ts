import { httpErrorOf } from '@herald/http';
import { hashApiKeyToken, type ApiKeyRecord } from '@herald/contracts';
import type { CompactedViewOptions, KafkaRuntime } from '@herald/kafka';
import { KafkaApiKeyResolver } from './kafka-api-key.resolver';

const token = (c: string) => `hk_${c.repeat(43)}`;
const record = (c: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  keyId: `key_${c}`,
  keyHash: hashApiKeyToken(token(c)),
  tenantId: 'acme',
  scopes: ['admin'],
  name: `key ${c}`,
  revokedAt: null,
  ...over,
});

/** Stands in for CompactedTopicView: records "on the topic" reach the resolver at start or at a catch-up. */
class FakeView {
  options!: CompactedViewOptions<ApiKeyRecord>;
  readonly topic: (ApiKeyRecord | [string, null])[] = [];
  catchUps = 0;
  fail = false;
  private applied = 0;

  async start(): Promise<void> {
    this.deliver();
  }
  private pass: Promise<void> | null = null;
  /** Shares one pass among concurrent callers, as the real view does (tested in compacted-view.spec.ts). */
  catchUpCoalesced(): Promise<void> {
    this.pass ??= (async () => {
      this.catchUps += 1;
      await new Promise((r) => setImmediate(r));
      if (this.fail) throw new Error('broker down');
      this.deliver();
    })().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }
  /** What the live consumer does between catch-ups. */
  deliver(): void {
    for (const entry of this.topic.slice(this.applied)) {
      if (Array.isArray(entry)) this.options.onChange?.(entry[0], null);
      else this.options.onChange?.(entry.keyId, entry);
    }
    this.applied = this.topic.length;
  }
}

async function started(...records: ApiKeyRecord[]) {
  const view = new FakeView();
  view.topic.push(...records);
  const runtime = {
    client: { topics: { apiKeys: 'p.webhooks.api-keys' }, settings: { topicPrefix: 'p.' } },
    view: (options: CompactedViewOptions<ApiKeyRecord>) => {
      view.options = options;
      return view;
    },
  } as unknown as KafkaRuntime;
  const resolver = new KafkaApiKeyResolver(runtime);
  await resolver.onApplicationBootstrap();
  return { resolver, view };
}

describe('KafkaApiKeyResolver', () => {
  it('follows the api-keys topic and validates what it reads', async () => {
    const { view } = await started();
    expect(view.options.topic).toBe('p.webhooks.api-keys');
    expect(view.options.groupBase).toBe('p.herald-event-ingest-api-keys');
    const parsed = view.options.parse(Buffer.from(JSON.stringify(record('a'))));
    expect(parsed).toEqual(record('a'));
    expect(() => view.options.parse(Buffer.from(JSON.stringify({ ...record('a'), keyHash: 'nope' })))).toThrow();
  });

  it('resolves a loaded key by its token hash, without a catch-up', async () => {
    const { resolver, view } = await started(record('a', { scopes: ['read'] }), record('b', { tenantId: 'globex' }));
    await expect(resolver.resolve(token('a'))).resolves.toEqual({
      tenantId: 'acme',
      scopes: ['read'],
      keyId: 'key_a',
      keyName: 'key a',
    });
    await expect(resolver.resolve(token('b'))).resolves.toMatchObject({ tenantId: 'globex', keyId: 'key_b' });
    expect(view.catchUps).toBe(0);
  });

  it('catches up once on a miss, so a key created a moment ago works on first use', async () => {
    const { resolver, view } = await started();
    view.topic.push(record('c'));
    await expect(resolver.resolve(token('c'))).resolves.toMatchObject({ keyId: 'key_c' });
    expect(view.catchUps).toBe(1);
  });

  it('shares one catch-up among concurrent misses and answers null for unknown keys', async () => {
    const { resolver, view } = await started();
    const answers = await Promise.all([
      resolver.resolve(token('x')),
      resolver.resolve(token('y')),
      resolver.resolve(token('z')),
    ]);
    expect(answers).toEqual([null, null, null]);
    expect(view.catchUps).toBe(1);
  });

  it('skips tokens that are not Herald keys (no catch-up)', async () => {
    const { resolver, view } = await started(record('a'));
    for (const bad of ['', 'hk_short', `${token('a')}x`, `Hk_${'a'.repeat(43)}`, hashApiKeyToken(token('a'))]) {
      await expect(resolver.resolve(bad)).resolves.toBeNull();
    }
    expect(view.catchUps).toBe(0);
  });

  it('stops accepting a key as soon as its revoked record is read', async () => {
    const { resolver, view } = await started(record('a'));
    expect(await resolver.resolve(token('a'))).not.toBeNull();
    view.topic.push(record('a', { revokedAt: '2026-12-01T00:00:00.000Z' }));
    view.deliver();
    await expect(resolver.resolve(token('a'))).resolves.toBeNull();
    // Revocation is permanent: believed without a catch-up.
    expect(view.catchUps).toBe(0);
  });

  it('forgets a key on a tombstone', async () => {
    const { resolver, view } = await started(record('a'));
    view.topic.push(['key_a', null]);
    view.deliver();
    await expect(resolver.resolve(token('a'))).resolves.toBeNull();
  });

  it('answers 503 rather than guessing when the view cannot catch up', async () => {
    const { resolver, view } = await started(record('a'));
    view.fail = true;
    const refusal = await resolver.resolve(token('n')).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'unavailable' });
    expect(httpErrorOf(refusal).status).toBe(503);
    // Known keys keep working while Kafka is away.
    await expect(resolver.resolve(token('a'))).resolves.toMatchObject({ keyId: 'key_a' });
  });
});
