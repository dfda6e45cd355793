import { createHeraldClient, data } from '@herald/sdk';
import { Receiver, TEST_ADMIN_KEY, eventually, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(180_000);

/**
 * The SDK example of libs/sdk/README.md, run as written against the whole stack through the
 * gateway: create a webhook, publish an event, read its attempts.
 */
describe('@herald/sdk against the stack', () => {
  let stack: TestStack;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  it('creates a webhook, publishes an event and reads its attempts', async () => {
    const herald = createHeraldClient({ baseUrl: stack.gatewayUrl, apiKey: TEST_ADMIN_KEY });

    const webhook = await data(
      herald.POST('/v1/webhooks', {
        body: { name: 'Orders', url: `${receiver.url}/hooks`, events: ['order.created'] },
      }),
    );
    const published = await data(
      herald.POST('/v1/events', {
        body: { eventType: 'order.created', tenantId: 'default', data: { orderId: 'o-1' }, idempotencyKey: 'o-1' },
      }),
    );
    expect(published).toMatchObject({ eventType: 'order.created', eventId: expect.any(String) });

    const attempts = await eventually(
      async () => {
        const page = await data(
          herald.GET('/v1/attempts', { params: { query: { eventId: published.eventId, webhookId: webhook.id } } }),
        );
        return page.data.length > 0 ? page.data : undefined;
      },
      60_000,
      'an attempt of the published event',
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      eventId: published.eventId,
      webhookId: webhook.id,
      attempt: 1,
      outcome: 'success',
      response: { status: 200 },
    });
    expect(JSON.parse(attempts[0].request.body ?? '{}')).toMatchObject({ data: { orderId: 'o-1' } });

    // The same key again: the first event, not a second one.
    const { data: replay, response } = await herald.POST('/v1/events', {
      body: { eventType: 'order.created', tenantId: 'default', data: { orderId: 'o-1' }, idempotencyKey: 'o-1' },
    });
    expect(response.status).toBe(200);
    expect(replay).toMatchObject({ eventId: published.eventId, duplicate: true });

    const event = await data(
      herald.GET('/v1/messages/{eventId}', { params: { path: { eventId: published.eventId } } }),
    );
    expect(event.deliveries).toEqual([
      expect.objectContaining({
        webhookId: webhook.id,
        status: 'delivered',
        attempts: [expect.objectContaining({ attemptId: attempts[0].attemptId })],
      }),
    ]);
  });
});
