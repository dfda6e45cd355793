import { createPublicKey, verify } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { verifyWithSeedVerifier } from '@herald/testing';
import {
  Ed25519Signer,
  WebhookSigner,
  generateSecret,
  generateSigningKeyPair,
  signWebhookRequest,
  standardPublicKey,
  type RequestSigning,
} from './index';

const body = JSON.stringify({ eventId: 'evt_9', event: 'agent.created', data: { agentName: 'Support bot ✓' } });

/** Standard Webhooks v1a verification as the spec defines it (the npm package implements v1 only). */
function verifyV1a(whpk: string, headers: Record<string, string>, payload: string): boolean {
  const raw = Buffer.from(whpk.slice('whpk_'.length), 'base64');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  const signed = Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${payload}`);
  return headers['webhook-signature']
    .split(' ')
    .filter((s) => s.startsWith('v1a,'))
    .some((s) => verify(null, signed, key, Buffer.from(s.slice(4), 'base64')));
}

describe('signWebhookRequest', () => {
  const secret = generateSecret();
  const keys = generateSigningKeyPair();
  const full: RequestSigning = {
    secrets: [new WebhookSigner(secret)],
    keySigner: new Ed25519Signer(keys.privateKey),
    profiles: ['standard', 'compat'],
    staticKey: 'mindstamp-key-123',
  };

  it('v1 verifies with the standardwebhooks package and v1a with the webhook public key', () => {
    const headers = signWebhookRequest(full, 'evt_9', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verifyV1a(standardPublicKey(keys.publicKey), headers, body)).toBe(true);
    expect(verifyV1a(standardPublicKey(generateSigningKeyPair().publicKey), headers, body)).toBe(false);
    expect(verifyV1a(standardPublicKey(keys.publicKey), headers, `${body} `)).toBe(false);
  });

  it('compat headers verify with the Mindset seed sample verifier, unchanged', () => {
    const now = new Date('2026-01-20T14:35:22.123Z');
    const headers = signWebhookRequest(full, 'evt_9', now, body);
    expect(headers['x-webhook-event-id']).toBe('evt_9');
    expect(headers['x-webhook-timestamp']).toBe('2026-01-20T14:35:22.123Z');
    expect(headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(headers['x-key']).toBe('mindstamp-key-123');
    expect(
      verifyWithSeedVerifier([
        { payload: body, signature: headers['x-webhook-signature'], secret },
        { payload: `${body} `, signature: headers['x-webhook-signature'], secret },
        { payload: body, signature: headers['x-webhook-signature'], secret: generateSecret() },
      ]),
    ).toEqual([true, false, false]);
  });

  it('during a rotation both secrets sign; the compat header lists the old one first, so both seed receivers keep the old secret until the overlap ends', () => {
    const next = generateSecret(48);
    const rotating: RequestSigning = { ...full, secrets: [new WebhookSigner(next), new WebhookSigner(secret)] };
    const headers = signWebhookRequest(rotating, 'evt_10', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(3);
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    const [first, second] = headers['x-webhook-signature'].split(',');
    const signature = headers['x-webhook-signature'];
    for (const variant of ['sample', 'parsed', 'raw'] as const) {
      expect(
        verifyWithSeedVerifier(
          [
            { payload: body, signature, secret },
            { payload: body, signature, secret: next },
            { payload: body, signature: second, secret: next },
            { payload: body, signature: first, secret: next },
          ],
          variant,
        ),
      ).toEqual([true, false, true, false]);
    }
    // After the overlap only the new secret signs, and the same receivers verify with it.
    const after = signWebhookRequest({ ...full, secrets: [new WebhookSigner(next)] }, 'evt_11', new Date(), body);
    expect(
      verifyWithSeedVerifier([{ payload: body, signature: after['x-webhook-signature'], secret: next }], 'raw'),
    ).toEqual([true]);
  });

  it('sends only the families a webhook asks for', () => {
    const standardOnly = signWebhookRequest(
      { ...full, profiles: ['standard'], staticKey: null },
      'e',
      new Date(),
      body,
    );
    expect(Object.keys(standardOnly).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    const compatOnly = signWebhookRequest({ ...full, profiles: ['compat'], keySigner: null }, 'e', new Date(), body);
    expect(Object.keys(compatOnly).sort()).toEqual([
      'x-key',
      'x-webhook-event-id',
      'x-webhook-signature',
      'x-webhook-timestamp',
    ]);
  });
});
