import type { Page } from 'playwright-core';
import { Receiver, eventually, startTestStack, type TestStack } from '@herald/testing';
import { chromiumAvailable, expectText, isFocused, openPortalBrowser, type PortalBrowser } from './portal-browser';

jest.setTimeout(180_000);

/** The tenant's webhook limit in this stack, small enough to reach. */
const LIMIT = 4;

// A refusal a test provokes on purpose (a wrong key, a URL the server refuses) makes Chromium log
// the 4xx response; that test names the status it expects. Anything else on the console fails.
const refusalLog = (status: number) =>
  new RegExp(`^console: Failed to load resource: the server responded with a status of ${status} `);

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
  const menuButton = (name: string) => card(name).getByRole('button', { name: `Actions for ${name}` });
  /** Opens the card's ⋮ menu and gives its item, e.g. `menuItem('Orders sync', 'Edit Orders sync')`. */
  const menuItem = async (name: string, item: string) => {
    await menuButton(name).click();
    return card(name).getByRole('menuitem', { name: item });
  };
  const toasts = () => page.locator('.toasts');
  const idOf = async (name: string): Promise<string> =>
    (await stack.api(`/v1/webhooks?name=${encodeURIComponent(name)}`)).body.data.find(
      (w: { name: string }) => w.name === name,
    ).id;
  const colorOf = (locator: ReturnType<Page['locator']>) =>
    locator.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).color);
  const attemptsOf = async (webhookId: string) =>
    (await stack.api(`/v1/attempts?webhookId=${webhookId}`)).body.data as any[];
  const noHorizontalScroll = () =>
    page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

  beforeAll(async () => {
    failing.reply = () => ({
      status: 503,
      body: '{"error":"maintenance"}',
      headers: { 'content-type': 'application/json' },
    });
    await Promise.all([ok.start(), failing.start()]);
    stack = await startTestStack({
      env: {
        'subscription-api': { WEBHOOKS_PER_TENANT_LIMIT: String(LIMIT) },
        // No automatic retry within the run: the failed delivery stays failed until the admin recovers it.
        deliverer: { DELIVERY_RETRY_SCHEDULE: '600' },
      },
    });
    for (const [name, description] of [
      ['order.created', 'An order was placed'],
      ['order.updated', 'An order changed'],
      ['invoice.paid', 'An invoice was paid'],
    ]) {
      expect((await stack.api('/v1/event-types', { method: 'POST', body: { name, description } })).status).toBe(201);
    }
    browser = await openPortalBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await Promise.all([ok.stop(), failing.stop()]);
  });

  let provoked: number[] = [];
  let portalKeyId = '';
  afterEach(() => {
    const problems = (browser?.problems ?? []).filter(
      (problem) => !provoked.some((status) => refusalLog(status).test(problem)),
    );
    browser?.problems.splice(0);
    provoked = [];
    expect(problems).toEqual([]);
  });

  it('signs in with an API key, refusing a wrong one, and shows the zero state', async () => {
    // The page is public but locked down: own-origin scripts only, no framing, no other files.
    const index = await fetch(`${stack.gatewayUrl}/admin`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${stack.gatewayUrl}/admin/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${stack.gatewayUrl}/admin/nothing.js`)).status).toBe(404);

    await page.goto(`${stack.gatewayUrl}/admin`);
    await page.getByRole('heading', { name: 'Herald webhooks' }).waitFor();
    await browser.screenshot('01-sign-in');

    provoked = [401];
    await page.getByLabel('API key').fill('hk_wrong_key_0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'That API key was not accepted. Check it and try again.');

    // A tenant's own API key, made through the API by the bootstrap admin.
    const key = await stack.api('/v1/api-keys', { method: 'POST', body: { name: 'Portal e2e', scopes: ['admin'] } });
    expect(key.status).toBe(201);
    portalKeyId = key.body.id;
    await page.getByLabel('API key').fill(key.body.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'No webhooks configured' }).waitFor();
    expect(await page.getByText('Configure webhooks to receive real-time event notifications.').isVisible()).toBe(true);
    await browser.screenshot('02-zero-state');
  });

  it('validates the form as the admin types, shows server refusals in it, creates and edits a webhook', async () => {
    const newButton = page.getByRole('button', { name: 'New webhook' });
    await newButton.click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.waitFor();
    const save = dialog.getByRole('button', { name: 'Save' });
    const name = dialog.getByLabel('Webhook name');
    const url = dialog.getByLabel('Endpoint URL');
    const nameField = dialog.locator('.field', { has: page.getByLabel('Webhook name') });
    const urlField = dialog.locator('.field', { has: page.getByLabel('Endpoint URL') });
    expect(await isFocused(name)).toBe(true);
    expect(await save.isDisabled()).toBe(true);

    await name.fill('x'.repeat(51));
    await expectText(nameField.locator('.field__error'), 'Name must be at most 50 characters');
    await expectText(nameField.locator('.counter-chars'), /51\/50$/);
    expect(await colorOf(nameField.locator('.counter-chars'))).toBe('rgb(179, 38, 30)');
    await name.fill('Invoices');
    await expectText(nameField.locator('.counter-chars'), /8\/50$/);
    expect(await colorOf(nameField.locator('.counter-chars'))).not.toBe('rgb(179, 38, 30)');
    expect(await nameField.locator('.field__error').count()).toBe(0);

    await url.fill('h');
    await url.fill('');
    await expectText(urlField.locator('.field__error'), "This field can't be empty");
    await url.fill('not a url');
    await expectText(urlField.locator('.field__error'), 'Please enter a valid URL');
    await url.fill('javascript:alert(1)');
    await expectText(urlField.locator('.field__error'), '"javascript:" URLs are not allowed: use http:// or https://');
    await url.fill(`https://example.com/${'a'.repeat(490)}`);
    await expectText(urlField.locator('.field__error'), 'URL must be at most 500 characters');
    await expectText(urlField.locator('.counter-chars'), /510\/500$/);
    expect(await colorOf(urlField.locator('.counter-chars'))).toBe('rgb(179, 38, 30)');
    expect(await save.isDisabled()).toBe(true);
    await browser.screenshot('03-form-validation');

    // Event types come from the catalog; at least one is required.
    const invoicePaid = dialog.getByRole('checkbox', { name: /invoice\.paid/ });
    await invoicePaid.check();
    await invoicePaid.uncheck();
    await expectText(
      dialog.locator('.events-picker .field__error'),
      'Choose at least one event type, or type an event name or wildcard',
    );
    await invoicePaid.check();

    // Focus stays in the dialog however far the admin tabs.
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((el: any) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    }

    // Valid to the form, refused by the server (a link-local metadata address): shown beside the URL.
    provoked = [400];
    await url.fill('http://169.254.169.254/latest/meta-data');
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await urlField.locator('.field__error').waitFor();
    expect(await urlField.locator('.field__error').textContent()).toMatch(/^url /);
    expect(await dialog.isVisible()).toBe(true);
    await browser.screenshot('04-server-refusal');

    await url.fill(`${ok.url}/invoices`);
    expect(await urlField.locator('.field__error').count()).toBe(0);
    await dialog.getByRole('switch', { name: 'Active' }).uncheck();
    await save.click();
    await dialog.waitFor({ state: 'detached' });
    await expectText(toasts(), /Webhook created successfully/);
    await expectText(card('Invoices').locator('.badge').first(), 'Inactive');
    const created = (await stack.api(`/v1/webhooks/${await idOf('Invoices')}`)).body;
    expect(created).toMatchObject({
      name: 'Invoices',
      url: `${ok.url}/invoices`,
      events: ['invoice.paid'],
      status: 'INACTIVE',
    });

    // Edit: rename, add an event type, activate.
    await (await menuItem('Invoices', 'Edit Invoices')).click();
    const editDialog = page.getByRole('dialog', { name: 'Edit "Invoices"' });
    await editDialog.waitFor();
    await editDialog.getByLabel('Webhook name').fill('Invoices EU');
    await editDialog.getByRole('checkbox', { name: /order\.created/ }).check();
    await editDialog.getByRole('switch', { name: 'Active' }).check();
    await editDialog.getByRole('button', { name: 'Save' }).click();
    await editDialog.waitFor({ state: 'detached' });
    await expectText(toasts(), /Webhook updated successfully/);
    await expectText(card('Invoices EU').locator('.badge').first(), 'Active');
    expect((await stack.api(`/v1/webhooks/${created.id}`)).body).toMatchObject({
      name: 'Invoices EU',
      events: ['invoice.paid', 'order.created'],
      status: 'ACTIVE',
    });

    // Escape closes a dialog and gives focus back to what opened it.
    await (await menuItem('Invoices EU', 'Edit Invoices EU')).click();
    await page.getByRole('dialog', { name: 'Edit "Invoices EU"' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await isFocused(menuButton('Invoices EU'))).toBe(true);
  });

  it('lists webhooks as cards, searches as you type and filters by status', async () => {
    await createWebhook({ name: 'Orders sync', url: `${ok.url}/orders`, events: ['order.created', 'order.updated'] });
    await createWebhook({ name: 'Billing hook', url: `${failing.url}/billing`, events: ['order.created'] });
    await createWebhook({ name: 'Paused audit feed', url: `${ok.url}/audit`, events: ['*'], active: false });
    await page.reload();
    await card('Orders sync').waitFor();
    await expectText(page.locator('#webhook-counter'), `${LIMIT} of ${LIMIT} webhooks`);
    // At the limit, New is disabled and says why.
    const newButton = page.getByRole('button', { name: 'New webhook' });
    expect(await newButton.isDisabled()).toBe(true);
    await expectText(
      page.locator('#limit-note'),
      `This tenant has reached its limit of ${LIMIT} webhooks. Delete one to create another.`,
    );
    expect(await newButton.getAttribute('aria-describedby')).toBe('limit-note');
    await expectText(card('Orders sync').locator('.badge').first(), 'Active');
    await expectText(card('Paused audit feed').locator('.badge').first(), 'Inactive');
    expect(
      await card('Orders sync').getByRole('list', { name: 'Event types' }).getByRole('listitem').allTextContents(),
    ).toEqual(['order.created', 'order.updated']);
    await expectText(card('Orders sync').locator('.card__url'), `${ok.url}/orders`);
    await browser.screenshot('05-webhook-cards-at-limit');

    const search = page.getByLabel('Search by name');
    await search.pressSequentially('ord');
    await card('Orders sync').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await search.fill('no such hook');
    await page.getByRole('heading', { name: 'No webhooks match your search' }).waitFor();
    await browser.screenshot('06-no-search-results');
    await page.getByRole('button', { name: 'Clear search' }).click();
    expect(await page.getByRole('article').count()).toBe(4);

    await page.getByLabel('Status').selectOption('inactive');
    await card('Paused audit feed').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await page.getByLabel('Status').selectOption('active');
    expect(await page.getByRole('article').count()).toBe(3);
    await page.getByLabel('Status').selectOption('all');
  });

  it('deactivates and activates a webhook, and deletes one behind a confirmation that names it', async () => {
    await (await menuItem('Orders sync', 'Deactivate Orders sync')).click();
    await expectText(card('Orders sync').locator('.badge').first(), 'Inactive');
    await expectText(toasts(), /"Orders sync" deactivated/);
    expect((await stack.api('/v1/webhooks?name=Orders')).body.data[0].status).toBe('INACTIVE');
    await (await menuItem('Orders sync', 'Activate Orders sync')).click();
    await expectText(card('Orders sync').locator('.badge').first(), 'Active');
    expect((await stack.api('/v1/webhooks?name=Orders')).body.data[0].status).toBe('ACTIVE');

    const deleteButton = menuButton('Paused audit feed');
    await (await menuItem('Paused audit feed', 'Delete Paused audit feed')).click();
    const dialog = page.getByRole('dialog', { name: 'Delete "Paused audit feed"?' });
    await dialog.waitFor();
    await browser.screenshot('07-delete-confirmation');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(deleteButton)).toBe(true);
    expect(await page.getByRole('article').count()).toBe(4);

    // By keyboard this time: Enter opens the menu on its first item, End reaches Delete, Enter opens
    // the confirmation, which starts on Cancel.
    await deleteButton.focus();
    await page.keyboard.press('Enter');
    expect(await isFocused(card('Paused audit feed').getByRole('menuitem').first())).toBe(true);
    await page.keyboard.press('End');
    expect(await isFocused(card('Paused audit feed').getByRole('menuitem', { name: 'Delete Paused audit feed' }))).toBe(
      true,
    );
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await card('Paused audit feed').waitFor({ state: 'detached' });
    await expectText(page.locator('#webhook-counter'), `${LIMIT - 1} of ${LIMIT} webhooks`);
    expect(await page.getByRole('button', { name: 'New webhook' }).isDisabled()).toBe(false);
    expect(await page.locator('#limit-note').count()).toBe(0);
    expect((await stack.api('/v1/webhooks')).body.data.map((w: { name: string }) => w.name).sort()).toEqual([
      'Billing hook',
      'Invoices EU',
      'Orders sync',
    ]);
  });

  it('copies the secret, rotates it, and sends test events showing their results', async () => {
    const ordersId = await idOf('Orders sync');
    await card('Orders sync').getByRole('button', { name: 'Copy secret of Orders sync' }).click();
    await expectText(toasts(), /Webhook secret copied successfully/);
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    const original = (await stack.api(`/v1/webhooks/${ordersId}/secret`)).body;
    expect(copied).toMatch(/^whsec_/);
    expect(copied).toBe(original.secret);

    await (await menuItem('Orders sync', 'Rotate secret of Orders sync')).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the secret of "Orders sync"?' });
    await rotate.waitFor();
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    await rotate.waitFor({ state: 'detached' });
    await expectText(
      toasts(),
      /New secret generated\. The previous one keeps working until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./,
    );
    const rotated = (await stack.api(`/v1/webhooks/${ordersId}/secret`)).body;
    expect(rotated.secret).not.toBe(copied);
    expect(rotated.previousSecret).toBe(copied);

    await (await menuItem('Orders sync', 'Send test event to Orders sync')).click();
    const test = page.getByRole('dialog', { name: 'Send a test event to "Orders sync"' });
    await test.waitFor();
    expect(await test.getByLabel('Event type').inputValue()).toBe('order.created');
    const received = ok.requests.length;
    await test.getByRole('button', { name: 'Send test event' }).click();
    await expectText(test.locator('.result p').first(), /^Delivered HTTP 200 in \d+ ms$/);
    expect(ok.requests.length).toBe(received + 1);
    expect(JSON.parse(ok.requests[received].body)).toMatchObject({ event: 'order.created', tenantId: 'default' });
    await browser.screenshot('08-test-event-delivered');
    await page.keyboard.press('Escape');
    await test.waitFor({ state: 'detached' });

    await (await menuItem('Billing hook', 'Send test event to Billing hook')).click();
    const failingTest = page.getByRole('dialog', { name: 'Send a test event to "Billing hook"' });
    await failingTest.getByRole('button', { name: 'Send test event' }).click();
    await expectText(failingTest.locator('.result p').first(), /^Failed HTTP 503 in \d+ ms$/);
    expect(await failingTest.locator('.result pre').first().textContent()).toContain('"error": "maintenance"');
    await browser.screenshot('09-test-event-failed');
    await failingTest.getByRole('button', { name: 'Close' }).click();
    await failingTest.waitFor({ state: 'detached' });
  });

  it('shows real successful and failed attempts in the event log, redelivers one and recovers the failed', async () => {
    const [orders, billing] = ['Orders sync', 'Billing hook'].map(
      async (name) => (await stack.api(`/v1/webhooks?name=${encodeURIComponent(name)}`)).body.data[0],
    );
    const ordersId: string = (await orders).id;
    const billingId: string = (await billing).id;
    const posted = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'order.created', tenantId: 'default', data: { orderId: 'o-1001' } },
    });
    expect(posted.status).toBe(202);
    await eventually(
      async () => (await attemptsOf(ordersId)).length >= 1 && (await attemptsOf(billingId)).length >= 1,
      60_000,
      'attempts of both webhooks',
    );

    await card('Orders sync').getByRole('link', { name: 'Event log of Orders sync' }).click();
    await page.getByRole('heading', { name: 'Event log: Orders sync' }).waitFor();
    const attempts = page.getByRole('list', { name: 'Delivery attempts' }).getByRole('listitem');
    await expectText(attempts.first().locator('.attempt__status'), 'Succeeded · 200');
    await attempts.first().locator('summary').click();
    await expectText(
      attempts.first().getByRole('region', { name: 'Request' }).locator('p code'),
      `POST ${ok.url}/orders`,
    );
    await expectText(attempts.first().getByRole('region', { name: 'Response' }).locator('p code'), 'HTTP 200');
    expect(await attempts.first().getByRole('region', { name: 'Request' }).textContent()).toContain(
      '"orderId": "o-1001"',
    );
    await browser.screenshot('10-event-log-success');

    const delivered = ok.requests.length;
    await attempts.first().getByRole('button', { name: 'Redeliver this event' }).click();
    await expectText(toasts(), /Event sent again/);
    await eventually(async () => ok.requests.length > delivered, 30_000, 'the redelivered request');
    await expectText(attempts.first().locator('.attempt__event .badge'), 'Redelivery', 30_000);

    await page.getByRole('link', { name: '← All webhooks' }).click();
    await card('Billing hook').getByRole('link', { name: 'Event log of Billing hook' }).click();
    await page.getByRole('heading', { name: 'Event log: Billing hook' }).waitFor();
    await expectText(attempts.first().locator('.attempt__status'), 'HTTP error · 503');
    await attempts.first().locator('summary').click();
    expect(await attempts.first().getByRole('region', { name: 'Response' }).textContent()).toContain(
      '"error": "maintenance"',
    );
    await browser.screenshot('11-event-log-failure');

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
    await browser.screenshot('12-event-log-recovered');

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
    await browser.screenshot('13-cards-with-delivery-stats');
  });

  it('shows a webhook Herald disabled, with the reason, and activates it again', async () => {
    const gone = new Receiver();
    gone.reply = () => ({ status: 410, body: 'this endpoint was retired' });
    await gone.start();
    try {
      const legacy = await createWebhook({ name: 'Legacy CRM', url: `${gone.url}/crm`, events: ['invoice.paid'] });
      const posted = await stack.api('/v1/events', {
        method: 'POST',
        body: { eventType: 'invoice.paid', tenantId: 'default', data: { invoiceId: 'i-7' } },
      });
      expect(posted.status).toBe(202);
      const disabled = await eventually(
        async () => {
          const { body } = await stack.api(`/v1/webhooks/${legacy.id}`);
          return body.status === 'DISABLED' && body;
        },
        60_000,
        'Legacy CRM disabled after 410 Gone',
      );
      expect(disabled.disabledReason).toBeTruthy();
      await page.reload();
      await expectText(card('Legacy CRM').locator('.badge').first(), 'Disabled');
      await expectText(card('Legacy CRM').locator('.card__reason'), `Disabled by Herald: ${disabled.disabledReason}`);
      await browser.screenshot('14-disabled-webhook');
      await page.getByLabel('Status').selectOption('inactive');
      await card('Legacy CRM').waitFor();
      expect(await page.getByRole('article').count()).toBe(1);
      await page.getByLabel('Status').selectOption('all');

      await (await menuItem('Legacy CRM', 'Activate Legacy CRM')).click();
      await expectText(card('Legacy CRM').locator('.badge').first(), 'Active');
      expect(await card('Legacy CRM').locator('.card__reason').count()).toBe(0);
      expect((await stack.api(`/v1/webhooks/${legacy.id}`)).body).toMatchObject({
        status: 'ACTIVE',
        disabledReason: null,
      });
    } finally {
      await gone.stop();
    }
  });

  it('is usable on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await card('Billing hook').getByRole('link', { name: 'Event log of Billing hook' }).click();
    await page.getByRole('heading', { name: 'Event log: Billing hook' }).waitFor();
    await page.locator('.attempt summary').first().click();
    expect(await noHorizontalScroll()).toBe(true);
    await browser.screenshot('15-narrow-event-log');
    await page.getByRole('link', { name: '← All webhooks' }).click();
    await card('Orders sync').waitFor();
    expect(await noHorizontalScroll()).toBe(true);
    await browser.screenshot('16-narrow-webhooks');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('returns to sign-in, saying why, once the API key is revoked', async () => {
    expect((await stack.api(`/v1/api-keys/${portalKeyId}`, { method: 'DELETE' })).status).toBe(204);
    provoked = [401];
    await page.reload();
    await page.getByRole('heading', { name: 'Herald webhooks' }).waitFor();
    await expectText(page.locator('.notice'), 'Your API key was refused. Sign in again.');
  });
});
