import type { WebhookSnapshot } from '@herald/contracts';
import { Receiver, eventually } from '@herald/testing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(90_000);

/** The deliverer with no allow-list: nothing but public unicast may be contacted. */
describe('send-time SSRF guard', () => {
  let harness: DelivererHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    harness = await DelivererHarness.start({ DELIVERY_RETRY_SCHEDULE: '0.2' });
  });

  afterAll(async () => {
    await harness?.stop();
    await receiver?.stop();
  });

  it('refuses the whole matrix with outcome blocked, before any byte reaches a receiver', async () => {
    const port = new URL(receiver.url).port;
    const matrix: [string, RegExp][] = [
      [`http://127.0.0.1:${port}/hook`, /127\.0\.0\.1 is a loopback address/],
      ['http://10.1.2.3/hook', /10\.1\.2\.3 is a private-network address/],
      ['http://172.16.0.1/hook', /private-network/],
      ['http://192.168.1.1/hook', /private-network/],
      ['http://169.254.169.254/latest/meta-data/', /link-local address \(cloud metadata service\)/],
      ['http://100.64.0.1/hook', /carrier-grade NAT/],
      [`http://[::1]:${port}/hook`, /loopback/],
      [`http://[::ffff:127.0.0.1]:${port}/hook`, /IPv4-mapped/],
      [`http://2130706433:${port}/hook`, /127\.0\.0\.1 is a loopback/],
      [`http://0177.0.0.1:${port}/hook`, /127\.0\.0\.1 is a loopback/],
      [`http://0x7f.0.0.1:${port}/hook`, /127\.0\.0\.1 is a loopback/],
      [`http://0x7f000001:${port}/hook`, /127\.0\.0\.1 is a loopback/],
      [`http://localhost:${port}/hook`, /localhost resolves to .* loopback/],
    ];
    const webhooks: WebhookSnapshot[] = [];
    for (const [url] of matrix) webhooks.push(await harness.upsertWebhook({ url }));
    for (const webhook of webhooks) await harness.deliver(webhook);
    await eventually(
      async () => webhooks.every((w) => harness.attemptsOf(w.webhookId).length > 0),
      60_000,
      'an attempt per URL',
    );
    matrix.forEach(([url, reason], i) => {
      const attempts = harness.attemptsOf(webhooks[i].webhookId);
      expect({ url, outcomes: attempts.map((a) => a.outcome) }).toEqual({ url, outcomes: ['blocked'] });
      expect(attempts[0].error).toMatch(reason);
      // A refused address is not retried: it is dead-lettered at once.
      expect(attempts[0].deadLettered).toBe(true);
    });
    expect(receiver.requests).toHaveLength(0);
  });
});
