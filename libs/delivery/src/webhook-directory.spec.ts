import { webhookSnapshotSchema } from '@herald/contracts';
import { SecretBox, configureSecretBox, sealSnapshot } from '@herald/secret-box';
import { WebhookDirectory } from './webhook-directory';

const key = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });
const snapshot = webhookSnapshotSchema.parse({
  webhookId: 'wh_1',
  tenantId: 't',
  version: 1,
  status: 'ACTIVE',
  url: 'https://example.com/hook',
  events: ['*'],
  secrets: [{ secret: 'whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==', expiresAt: null }],
  updatedAt: new Date(0).toISOString(),
  staticKey: 'static-key-value',
});

describe('WebhookDirectory with sealed secrets', () => {
  it('opens sealed secrets once per change, and holds back a webhook whose key is missing until a newer snapshot opens', () => {
    const old = new SecretBox([key('k1', 1)]);
    const current = new SecretBox([key('k2', 2)]);
    configureSecretBox(current);
    const directory = new WebhookDirectory();

    directory.apply('wh_1', sealSnapshot(snapshot, old));
    expect(() => directory.get('wh_1')).toThrow(/wh_1: .*"k1", which is not configured/);

    directory.apply('wh_1', sealSnapshot(snapshot, current));
    const signing = directory.get('wh_1')!;
    expect(signing.snapshot.secrets[0].secret).toBe(snapshot.secrets[0].secret);
    expect(signing.snapshot.staticKey).toBe('static-key-value');

    // Written in clear before encryption existed: still readable.
    directory.apply('wh_2', { ...snapshot, webhookId: 'wh_2' });
    expect(directory.get('wh_2')!.snapshot.secrets[0].secret).toBe(snapshot.secrets[0].secret);
  });
});
