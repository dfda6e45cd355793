import type { Page } from 'playwright-core';
import { Receiver, TEST_ADMIN_KEY, eventually, startTestStack, type TestStack } from '@herald/testing';
import { chromiumAvailable, expectText, openPortalBrowser, type PortalBrowser } from './portal-browser';

jest.setTimeout(180_000);

// Refusals the tests provoke on purpose (a wrong key, an invalid form) make Chromium log the
// 4xx response; anything else on the console fails the suite.
const provokedRefusal = /Failed to load resource: the server responded with a status of (400|401|409|422)/;

/**
 * The admin portal in Debian's Chromium against the whole stack as real processes: every
 * admin action, the validation messages, zero states, and the event log with real attempts.
 */
(chromiumAvailable() ? describe : describe.skip)('admin portal (Chromium)', () => {
  let stack: TestStack;
  let browser: PortalBrowser;
  let page: Page;
  const ok = new Receiver();
  const failing = new Receiver();

  const createWebhook = async (body: Record<string, unknown>) => {
    const created = await stack.api('/v1/webhooks', { method: 'POST', body });
    expect(created.status).toBe(201);
    return created.body as { id: string; name: string };
  };
  const card = (name: string) => page.getByRole('article', { name });
  const attemptsOf = async (webhookId: string) => (await stack.api(`/v1/attempts?webhookId=${webhookId}`)).body.data as any[];
  const noHorizontalScroll = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

  beforeAll(async () => {
    failing.reply = () => ({ status: 503, body: '{"error":"maintenance"}', headers: { 'content-type': 'application/json' } });
    await Promise.all([ok.start(), failing.start()]);
    stack = await startTestStack();
    browser = await openPortalBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await Promise.all([ok.stop(), failing.stop()]);
  });

  afterEach(() => {
    expect((browser?.problems ?? []).filter((problem) => !provokedRefusal.test(problem))).toEqual([]);
  });

  it('signs in with an API key, refusing a wrong one, and shows the zero state', async () => {
    await page.goto(`${stack.gatewayUrl}/admin`);
    await page.getByRole('heading', { name: 'Herald webhooks' }).waitFor();
    await browser.screenshot('01-sign-in');

    await page.getByLabel('API key').fill('hk_wrong_key_0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'That API key was not accepted. Check it and try again.');

    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'No webhooks configured' }).waitFor();
    expect(await page.getByText('Configure webhooks to receive real-time event notifications.').isVisible()).toBe(true);
    await browser.screenshot('02-zero-state');
  });

  it('lists webhooks as cards, searches as you type and filters by status', async () => {
    await createWebhook({ name: 'Orders sync', url: `${ok.url}/orders`, events: ['order.created', 'order.updated'] });
    await createWebhook({ name: 'Billing hook', url: `${failing.url}/billing`, events: ['order.created'] });
    await createWebhook({ name: 'Paused audit feed', url: `${ok.url}/audit`, events: ['*'], active: false });
    await page.reload();
    await card('Orders sync').waitFor();
    await expectText(page.locator('#webhook-counter'), /^3 webhooks/);
    await expectText(card('Orders sync').locator('.badge').first(), 'Active');
    await expectText(card('Paused audit feed').locator('.badge').first(), 'Inactive');
    expect(await card('Orders sync').getByRole('list', { name: 'Event types' }).getByRole('listitem').allTextContents()).toEqual([
      'order.created',
      'order.updated',
    ]);
    await expectText(card('Orders sync').locator('.card__url'), `${ok.url}/orders`);
    await browser.screenshot('03-webhook-cards');

    const search = page.getByLabel('Search by name');
    await search.pressSequentially('ord');
    await card('Orders sync').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await search.fill('no such hook');
    await page.getByRole('heading', { name: 'No webhooks match your search' }).waitFor();
    await browser.screenshot('04-no-search-results');
    await page.getByRole('button', { name: 'Clear search' }).click();
    expect(await page.getByRole('article').count()).toBe(3);

    await page.getByLabel('Status').selectOption('inactive');
    await card('Paused audit feed').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await page.getByLabel('Status').selectOption('active');
    expect(await page.getByRole('article').count()).toBe(2);
    await page.getByLabel('Status').selectOption('all');
  });

  it('deactivates and activates a webhook, and deletes one behind a confirmation that names it', async () => {
    await card('Orders sync').getByRole('button', { name: 'Deactivate Orders sync' }).click();
    await expectText(card('Orders sync').locator('.badge').first(), 'Inactive');
    await expectText(page.getByRole('status'), /"Orders sync" deactivated/);
    expect((await stack.api('/v1/webhooks?name=Orders')).body.data[0].status).toBe('INACTIVE');
    await card('Orders sync').getByRole('button', { name: 'Activate Orders sync' }).click();
    await expectText(card('Orders sync').locator('.badge').first(), 'Active');
    expect((await stack.api('/v1/webhooks?name=Orders')).body.data[0].status).toBe('ACTIVE');

    const deleteButton = card('Paused audit feed').getByRole('button', { name: 'Delete Paused audit feed' });
    await deleteButton.click();
    const dialog = page.getByRole('dialog', { name: 'Delete "Paused audit feed"?' });
    await dialog.waitFor();
    await browser.screenshot('05-delete-confirmation');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await deleteButton.evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByRole('article').count()).toBe(3);

    await deleteButton.click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await card('Paused audit feed').waitFor({ state: 'detached' });
    await expectText(page.locator('#webhook-counter'), /^2 webhooks/);
    expect((await stack.api('/v1/webhooks')).body.data.map((w: { name: string }) => w.name).sort()).toEqual(['Billing hook', 'Orders sync']);
  });

  it('shows real successful and failed attempts in the event log, redelivers one and recovers the failed', async () => {
    const [orders, billing] = ['Orders sync', 'Billing hook'].map(async (name) => (await stack.api(`/v1/webhooks?name=${encodeURIComponent(name)}`)).body.data[0]);
    const ordersId: string = (await orders).id;
    const billingId: string = (await billing).id;
    const posted = await stack.api('/v1/events', { method: 'POST', body: { eventType: 'order.created', tenantId: 'default', data: { orderId: 'o-1001' } } });
    expect(posted.status).toBe(202);
    await eventually(async () => (await attemptsOf(ordersId)).length >= 1 && (await attemptsOf(billingId)).length >= 1, 60_000, 'attempts of both webhooks');

    await card('Orders sync').getByRole('link', { name: 'Event log of Orders sync' }).click();
    await page.getByRole('heading', { name: 'Event log: Orders sync' }).waitFor();
    const attempts = page.getByRole('list', { name: 'Delivery attempts' }).getByRole('listitem');
    await expectText(attempts.first().locator('.attempt__status'), 'Succeeded · 200');
    await attempts.first().locator('summary').click();
    await expectText(attempts.first().getByRole('region', { name: 'Request' }).locator('p code'), `POST ${ok.url}/orders`);
    await expectText(attempts.first().getByRole('region', { name: 'Response' }).locator('p code'), 'HTTP 200');
    expect(await attempts.first().getByRole('region', { name: 'Request' }).textContent()).toContain('"orderId": "o-1001"');
    await browser.screenshot('06-event-log-success');

    const delivered = ok.requests.length;
    await attempts.first().getByRole('button', { name: 'Redeliver this event' }).click();
    await expectText(page.getByRole('status'), /Event sent again/);
    await eventually(async () => ok.requests.length > delivered, 30_000, 'the redelivered request');
    await expectText(attempts.first().locator('.attempt__event .badge'), 'Redelivery', 30_000);

    await page.getByRole('link', { name: '← All webhooks' }).click();
    await card('Billing hook').getByRole('link', { name: 'Event log of Billing hook' }).click();
    await page.getByRole('heading', { name: 'Event log: Billing hook' }).waitFor();
    await expectText(attempts.first().locator('.attempt__status'), 'HTTP error · 503');
    await attempts.first().locator('summary').click();
    expect(await attempts.first().getByRole('region', { name: 'Response' }).textContent()).toContain('"error": "maintenance"');
    await browser.screenshot('07-event-log-failure');

    // The endpoint is fixed: recover every failed delivery since an hour ago.
    failing.reply = () => ({ status: 200, body: 'ok' });
    await page.getByRole('button', { name: 'Recover failed deliveries' }).click();
    await expectText(page.locator('.recover__status'), /^Recovery finished: \d+ failed deliver(y|ies) resent$/, 60_000);
    await eventually(
      async () => (await attemptsOf(billingId)).some((a) => a.trigger === 'recovery' && a.outcome === 'success'),
      60_000,
      'a successful recovery attempt',
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.attempt', { hasText: 'Recovery' }).filter({ hasText: 'Succeeded · 200' }).first().waitFor();
    await browser.screenshot('08-event-log-recovered');

    // Back on the list, the cards show when each webhook was last triggered and how it is doing.
    await page.getByRole('link', { name: '← All webhooks' }).click();
    const statsOf = (name: string) => card(name).locator('.card__stats dd');
    await eventually(
      async () => {
        await page.reload();
        await card('Orders sync').waitFor();
        return (await statsOf('Orders sync').allTextContents())[1] === '100% of 2 attempts';
      },
      30_000,
      'the success rate of Orders sync',
    );
    expect((await statsOf('Orders sync').allTextContents())[0]).toMatch(/ago$|^just now$/);
    const billingRate = (await statsOf('Billing hook').allTextContents())[1];
    expect(billingRate).toMatch(/^\d+(\.\d)?% of \d+ attempts$/);
    expect(billingRate).not.toMatch(/^100%/);
    await browser.screenshot('09-cards-with-delivery-stats');
  });

  it('is usable on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await card('Billing hook').getByRole('link', { name: 'Event log of Billing hook' }).click();
    await page.getByRole('heading', { name: 'Event log: Billing hook' }).waitFor();
    await page.locator('.attempt summary').first().click();
    expect(await noHorizontalScroll()).toBe(true);
    await browser.screenshot('10-narrow-event-log');
    await page.getByRole('link', { name: '← All webhooks' }).click();
    await card('Orders sync').waitFor();
    expect(await noHorizontalScroll()).toBe(true);
    await browser.screenshot('11-narrow-webhooks');
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
