import { MailSink, Receiver, eventually, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(180_000);

/**
 * Endpoint health across services: the deliverer sees a webhook failing continuously for longer
 * than DELIVERY_AUTO_DISABLE_AFTER_MS, asks for it to be disabled, subscription-api disables it
 * (snapshot + audit through the outbox) and the technical contact is mailed; re-enabling it
 * through the API resumes delivery.
 */
describe('automatic disabling and re-enabling', () => {
  let stack: TestStack;
  const mail = new MailSink();
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    await mail.start();
    stack = await startTestStack({
      env: {
        deliverer: {
          DELIVERY_AUTO_DISABLE_AFTER_MS: '2000',
          DELIVERY_RETRY_SCHEDULE: '0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
          DELIVERY_BREAKER_FAILURES: '1000',
          SMTP_URL: mail.url,
        },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
    await mail.stop();
  });

  it('disables a webhook failing for too long, mails its contact, and resumes once re-enabled', async () => {
    let healthy = false;
    receiver.reply = () => (healthy ? { status: 200, body: 'ok' } : { status: 500, body: 'down' });
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: {
        name: 'Flaky sync',
        url: `${receiver.url}/hooks`,
        events: ['agent.*'],
        failureEmail: 'oncall@example.com',
      },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;

    const sent = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'agent.created', tenantId: 'default', data: { n: 1 } },
    });
    expect(sent.status).toBeLessThan(300);

    const disabled = await eventually(
      async () => {
        const { body } = await stack.api(`/v1/webhooks/${id}`);
        return body.status === 'DISABLED' && body;
      },
      60_000,
      'webhook DISABLED',
    );
    expect(disabled.active).toBe(false);
    expect(disabled.disabledReason).toMatch(/^deliveries have failed continuously since /);
    const received = await eventually(
      async () => mail.mails.find((m) => m.to === 'oncall@example.com'),
      30_000,
      'disable mail',
    );
    expect(received.raw).toContain('Flaky sync');
    expect(received.raw).toContain(id);

    // While disabled nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const failedRequests = receiver.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.requests.length).toBe(failedRequests);

    healthy = true;
    const enabled = await stack.api(`/v1/webhooks/${id}/activate`, { method: 'POST' });
    expect(enabled.status).toBe(200);
    expect(enabled.body.status).toBe('ACTIVE');
    const again = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'agent.updated', tenantId: 'default', data: { n: 2 } },
    });
    expect(again.status).toBeLessThan(300);
    await eventually(
      async () => receiver.requests.some((r) => JSON.parse(r.body).event === 'agent.updated'),
      60_000,
      'delivery after re-enabling',
    );
    // The webhook was not disabled again by the earlier run of failures.
    expect((await stack.api(`/v1/webhooks/${id}`)).body.status).toBe('ACTIVE');
  });
});
