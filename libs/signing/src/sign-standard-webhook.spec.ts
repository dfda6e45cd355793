import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookSigner, generateSecret, maskSecret, signStandardWebhook } from './index';

describe('signStandardWebhook', () => {
  const body = JSON.stringify({ eventId: 'evt_1', event: 'agent.created', data: { a: 'é' } });

  it('produces a v1 signature the standardwebhooks package verifies', () => {
    const secret = generateSecret();
    const now = new Date();
    const headers = signStandardWebhook([new WebhookSigner(secret)], 'evt_1', now, body);
    const verified = new Webhook(secret).verify(body, headers as unknown as Record<string, string>);
    expect(verified).toEqual(JSON.parse(body));
    expect(headers['x-webhook-timestamp']).toBe(now.toISOString());
  });

  it('rejects a tampered body', () => {
    const secret = generateSecret();
    const headers = signStandardWebhook([new WebhookSigner(secret)], 'evt_1', new Date(), body);
    expect(() => new Webhook(secret).verify(body + ' ', headers as unknown as Record<string, string>)).toThrow();
  });

  it('signs with both secrets during a rotation, each verifying alone', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret(48);
    const headers = signStandardWebhook(
      [new WebhookSigner(newSecret), new WebhookSigner(oldSecret)],
      'evt_2',
      new Date(),
      body,
    ) as unknown as Record<string, string>;
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });

  it('compat signature is hex HMAC of the raw body keyed by the secret string', () => {
    const secret = generateSecret();
    const headers = signStandardWebhook([new WebhookSigner(secret)], 'evt_3', new Date(), body);
    const provided = headers['x-webhook-signature'].replace('sha256=', '');
    const computed = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    expect(timingSafeEqual(Buffer.from(provided, 'hex'), Buffer.from(computed, 'hex'))).toBe(true);
  });

  it('bounds secret length and masks secrets', () => {
    expect(generateSecret(24)).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(() => generateSecret(16)).toThrow(/24-64 bytes/);
    const secret = generateSecret();
    expect(maskSecret(secret)).not.toContain(secret.slice(6, 20));
  });
});
