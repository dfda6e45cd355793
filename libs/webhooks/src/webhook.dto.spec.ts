import { describeIssues, webhookSnapshotSchema } from '@herald/contracts';
import { createWebhookSchema, toWebhookSnapshot, toWebhookResponse, updateWebhookSchema } from './webhook.dto';
import { WebhookEntity } from './webhook.entity';
import { setSignatureProfiles } from './webhook-mutation';

function webhook(): WebhookEntity {
  const now = new Date('2026-05-01T10:00:00.000Z');
  const user = { userId: 'key_1', userName: 'ci' };
  return Object.assign(new WebhookEntity(), {
    id: 'wh_1',
    tenantId: 't',
    name: 'n',
    url: 'https://example.com',
    description: null,
    events: ['agent.*'],
    status: 'ACTIVE',
    disabledReason: null,
    technicalContactId: null,
    failureEmail: null,
    headers: {},
    rateLimitPerSecond: null,
    metadata: {},
    secret: 'whsec_x',
    previousSecret: null,
    previousSecretExpiresAt: null,
    publicKey: null,
    privateKey: null,
    keyGeneratedAt: null,
    staticKey: null,
    signatureProfiles: [],
    retrySchedule: null,
    maxConcurrency: null,
    timeoutMs: null,
    filter: null,
    version: 1,
    createdBy: user,
    modifiedBy: user,
    createdAt: now,
    updatedAt: now,
    lastTriggeredAt: null,
    payloadTenantField: 'tenantId',
  } satisfies WebhookEntity);
}

describe('asymmetric (v1a) signatures are opt-in', () => {
  it('a webhook without asymmetric has no key pair, shows no public key and its snapshot signs v1 only', () => {
    const w = webhook();
    setSignatureProfiles(w, ['standard', 'compat']);
    expect(w.privateKey).toBeNull();
    expect(toWebhookResponse(w)).toMatchObject({
      publicKey: null,
      keyGenerationTimestamp: null,
      signatureProfiles: ['standard', 'compat'],
    });
    expect(toWebhookSnapshot(w)).toMatchObject({ signingKey: null, signatureProfiles: ['standard', 'compat'] });
  });

  it('asymmetric gets a key pair that the snapshot carries; leaving and rejoining keeps the same key', () => {
    const w = webhook();
    setSignatureProfiles(w, ['standard', 'asymmetric']);
    const publicKey = w.publicKey;
    expect(publicKey).toEqual(expect.any(String));
    expect(toWebhookResponse(w)).toMatchObject({ publicKey, signatureProfiles: ['standard', 'asymmetric'] });
    // The snapshot's profiles stay within the deliverer's enum: `asymmetric` travels as signingKey.
    const snapshot = webhookSnapshotSchema.parse(toWebhookSnapshot(w));
    expect(snapshot).toMatchObject({
      signatureProfiles: ['standard'],
      signingKey: { publicKey, privateKey: w.privateKey },
    });

    setSignatureProfiles(w, ['standard']);
    expect(toWebhookResponse(w).publicKey).toBeNull();
    expect(toWebhookSnapshot(w).signingKey).toBeNull();
    setSignatureProfiles(w, ['standard', 'asymmetric']);
    expect(w.publicKey).toBe(publicKey);
  });

  it('refuses asymmetric without standard, and a list of asymmetric alone, naming the field', () => {
    const base = { url: 'https://example.com/h', events: ['agent.*'] };
    const message = (signatureProfiles: string[]) =>
      createWebhookSchema.safeParse({ ...base, signatureProfiles }).error?.issues.map((i) => i.message);
    expect(message(['compat', 'asymmetric'])).toEqual([
      'signatureProfiles asymmetric needs standard (v1a is sent in webhook-signature)',
    ]);
    expect(message(['asymmetric'])).toContain('signatureProfiles must list at least one of standard, compat');
    expect(message(['standard', 'ed448'])).toEqual([
      'signatureProfiles entries must be standard, compat or asymmetric',
    ]);
    expect(message(['standard', 'compat', 'asymmetric'])).toBeUndefined();
  });
});

describe('payload filter', () => {
  const create = (filter: unknown) =>
    createWebhookSchema.safeParse({ url: 'https://example.com/h', events: ['*'], filter });

  it('accepts a CEL expression, carries it on the snapshot, and reads an empty one as no filter', () => {
    expect(create('event.data.amount >= 100.0').data?.filter).toBe('event.data.amount >= 100.0');
    expect(create('  ').data?.filter).toBeNull();
    expect(updateWebhookSchema.parse({ filter: '' }).filter).toBeNull();
    const w = Object.assign(webhook(), { filter: 'event.type == "a.b"' });
    expect(webhookSnapshotSchema.parse(toWebhookSnapshot(w)).filter).toBe('event.type == "a.b"');
    expect(toWebhookResponse(w).filter).toBe('event.type == "a.b"');
  });

  it('refuses an invalid filter, naming the field and the problem', () => {
    const message = (filter: unknown) => describeIssues(create(filter).error!);
    expect(message('event.data.amount >')).toMatch(/^filter is not a valid CEL expression: /);
    expect(message('event.amount > 1')).toBe('filter does not type-check: No such key: amount');
    expect(message('event.type.matches("a+")')).toMatch(/^filter is not allowed: matches\(\)/);
    expect(message(42)).toBe('filter must be a string (a CEL expression) or null');
  });
});
