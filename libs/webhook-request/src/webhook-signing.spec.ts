import { Webhook } from 'standardwebhooks';
import { webhookSnapshotSchema, type EventEnvelope } from '@herald/contracts';
import { generateSecret, generateSigningKeyPair } from '@herald/signing';
import { WebhookSigning } from './webhook-signing';

const at = new Date('2026-05-01T10:00:00.000Z');
const event: EventEnvelope = {
  eventId: 'evt_1',
  eventType: 'agent.created',
  tenantId: 't1',
  occurredAt: at.toISOString(),
  receivedAt: at.toISOString(),
  source: 's',
  schemaVersion: 1,
  data: { name: 'bot' },
};

describe('WebhookSigning', () => {
  const current = generateSecret();
  const expired = generateSecret();
  const signing = new WebhookSigning(
    webhookSnapshotSchema.parse({
      webhookId: 'wh_1',
      tenantId: 't1',
      version: 1,
      status: 'ACTIVE',
      url: 'https://hooks.example.com/x',
      events: ['*'],
      secrets: [
        { secret: current, expiresAt: null },
        { secret: expired, expiresAt: new Date(at.getTime() - 1).toISOString() },
      ],
      headers: { Authorization: 'Bearer receiver-token' },
      updatedAt: at.toISOString(),
      staticKey: 'static-key-0123456789',
    }),
  );

  it('builds the signed request once: payload, the webhook headers, and signatures of the live secrets only', () => {
    const { headers, body } = signing.request(event, at, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(JSON.parse(body)).toEqual({
      eventId: 'evt_1',
      event: 'agent.created',
      timestamp: at.toISOString(),
      tenantId: 't1',
      version: 1,
      data: { name: 'bot' },
    });
    expect(headers).toMatchObject({
      Authorization: 'Bearer receiver-token',
      'x-key': 'static-key-0123456789',
      'webhook-id': 'evt_1',
      traceparent: expect.any(String),
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(1);
    // The verifier checks the timestamp against its clock: the request is verified as of `at`.
    jest.useFakeTimers({ now: at });
    try {
      expect(new Webhook(current).verify(body, headers)).toMatchObject({ eventId: 'evt_1' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('redacts the webhook headers and the static key, and nothing else', () => {
    const { headers } = signing.request(event, at);
    const shown = signing.redacted(headers);
    expect(shown).toMatchObject({ Authorization: '[redacted]', 'x-key': '[redacted]', 'webhook-id': 'evt_1' });
    expect(shown['webhook-signature']).toBe(headers['webhook-signature']);
    expect(JSON.stringify(shown)).not.toContain('receiver-token');
  });

  it('signs v1a exactly when the snapshot carries a signing key, including snapshots published before the opt-in existed', () => {
    const base = {
      webhookId: 'wh_2',
      tenantId: 't1',
      version: 1,
      status: 'ACTIVE',
      url: 'https://hooks.example.com/y',
      events: ['*'],
    };
    const snapshot = { ...base, secrets: [{ secret: current, expiresAt: null }], updatedAt: at.toISOString() };
    // An older snapshot: explicit profiles and a key pair, no notion of `asymmetric`.
    const older = new WebhookSigning(
      webhookSnapshotSchema.parse({
        ...snapshot,
        signatureProfiles: ['standard', 'compat'],
        signingKey: generateSigningKeyPair(),
      }),
    );
    expect(older.request(event, at).headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
    const withoutKey = new WebhookSigning(webhookSnapshotSchema.parse(snapshot));
    expect(withoutKey.request(event, at).headers['webhook-signature']).toMatch(/^v1,\S+$/);
  });
});
