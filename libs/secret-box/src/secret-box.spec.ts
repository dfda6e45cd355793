import { SecretBox, isSealed, keysFromConfig, newKeyEntry, parseKeyEncryptionKeys } from './secret-box';
import { routingView, sealSnapshot } from './snapshot-secrets';

const k1 = { id: 'k1', key: Buffer.alloc(32, 1) };
const k2 = { id: 'k2', key: Buffer.alloc(32, 2) };
const SECRET = 'whsec_dGhpcy1pcy1hLXRlc3Qtc2VjcmV0';

describe('SecretBox', () => {
  it('seals with the first key, never the same text twice, and opens back', () => {
    const box = new SecretBox([k1]);
    const a = box.seal(SECRET);
    const b = box.seal(SECRET);
    expect(a).not.toContain(SECRET);
    expect(a).not.toBe(b);
    expect(a.startsWith('hsb1:k1:')).toBe(true);
    expect(isSealed(a)).toBe(true);
    expect(box.open(a)).toBe(SECRET);
    expect(box.open(b)).toBe(SECRET);
  });

  it('after a rotation (new key first) opens old and new values and reports which need sealing again', () => {
    const sealedOld = new SecretBox([k1]).seal(SECRET);
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.open(sealedOld)).toBe(SECRET);
    expect(rotated.isCurrent(sealedOld)).toBe(false);
    const sealedNew = rotated.seal(SECRET);
    expect(rotated.isCurrent(sealedNew)).toBe(true);
    expect(new SecretBox([k2]).open(sealedNew)).toBe(SECRET);
  });

  it('names the missing key or the damage, never the secret', () => {
    const sealed = new SecretBox([k1]).seal(SECRET);
    expect(() => new SecretBox([k2]).open(sealed)).toThrow(
      'sealed with key-encryption key "k1", which is not configured',
    );
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    const damaged = () => new SecretBox([k1]).open(parts.join(':'));
    expect(damaged).toThrow(/does not open with it/);
    expect(() => new SecretBox([{ id: 'k1', key: Buffer.alloc(32, 9) }]).open(sealed)).toThrow(/does not open/);
  });

  it('passes values written in clear before encryption through', () => {
    expect(new SecretBox([k1]).open(SECRET)).toBe(SECRET);
  });

  it('parses key lists and names what is wrong without printing a key', () => {
    const entry = newKeyEntry('k9');
    expect(parseKeyEncryptionKeys(`# comment\n${entry}\n`, 'F').map((k) => k.id)).toEqual(['k9']);
    expect(keysFromConfig({ HERALD_KEKS: `${entry},k1:${Buffer.alloc(32).toString('base64')}` })).toHaveLength(2);
    const short = `k3:${Buffer.alloc(16, 3).toString('base64')}`;
    expect(() => parseKeyEncryptionKeys(short, 'HERALD_KEKS')).toThrow(
      'HERALD_KEKS entry 1 ("k3"): the key must be 32 bytes in base64, got 16',
    );
    try {
      parseKeyEncryptionKeys(short, 'HERALD_KEKS');
    } catch (error) {
      expect((error as Error).message).not.toContain(short.slice(3));
    }
    expect(() => parseKeyEncryptionKeys('nocolon', 'HERALD_KEKS')).toThrow(/entry 1: expected id:base64key/);
    expect(() => keysFromConfig({})).toThrow(/HERALD_KEKS or HERALD_KEK_FILE/);
    expect(() => new SecretBox([k1, { ...k2, id: 'k1' }])).toThrow(/unique/);
  });

  it('seals every secret of a snapshot; the routing view carries none', () => {
    const box = new SecretBox([k1]);
    const snapshot = {
      webhookId: 'wh',
      tenantId: 't',
      version: 1,
      status: 'ACTIVE' as const,
      url: 'https://example.com',
      events: ['*'],
      secrets: [{ secret: SECRET, expiresAt: null }],
      headers: {},
      updatedAt: '2026-01-01T00:00:00.000Z',
      filter: null,
      name: '',
      signingKey: { publicKey: 'PUB', privateKey: 'PRIVATE-KEY-DER' },
      staticKey: 'STATIC',
      signatureProfiles: ['standard' as const],
      rateLimitPerSecond: null,
      maxConcurrency: null,
      timeoutMs: null,
      retrySchedule: null,
      technicalContactId: null,
      notificationEmail: null,
      disabledReason: null,
      payloadTenantField: 'tenantId' as const,
    };
    const text = JSON.stringify(sealSnapshot(snapshot, box));
    for (const clear of [SECRET, 'PRIVATE-KEY-DER', 'STATIC']) expect(text).not.toContain(clear);
    expect(text).toContain('PUB');
    const route = routingView(snapshot);
    expect(route.secrets).toEqual([]);
    expect(route.signingKey).toBeNull();
    expect(route.staticKey).toBeNull();
    expect(route.events).toEqual(['*']);
  });
});
