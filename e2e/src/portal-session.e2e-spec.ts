import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { FrameLocator, Page } from 'playwright-core';
import { data, isHeraldApiError, type paths } from '@herald/sdk';
import { Receiver, eventually, startTestStack, type TestStack } from '@herald/testing';
import { chromiumAvailable, expectText, openPortalBrowser, type PortalBrowser } from './portal-browser';

jest.setTimeout(180_000);

type CreatePortalSession = NonNullable<
  paths['/v1/portal-sessions']['post']['requestBody']
>['content']['application/json'];

const PRIMARY = '#c2185b';
const PRIMARY_RGB = [0xc2, 0x18, 0x5b];

/**
 * A platform's page on its own loopback port: it embeds the portal link given in `?src=` and
 * records the portal's postMessage traffic in `window.heraldMessages`.
 */
async function startHostPage(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Acme app</title></head><body>
      <h1>Acme app</h1>
      <iframe id="portal" title="Webhooks" style="width: 1100px; height: 700px; border: 0"></iframe>
      <script>
        window.heraldMessages = [];
        addEventListener('message', (event) => {
          if (event.data && event.data.source === 'herald-portal') window.heraldMessages.push(event.data);
        });
        document.getElementById('portal').src = ${JSON.stringify(src)};
      </script></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// A refusal a test provokes on purpose makes Chromium log it; the test names what it expects.
const expectedProblem = (patterns: RegExp[]) => (problem: string) => patterns.some((p) => p.test(problem));

/**
 * The embedded tenant portal in Debian's Chromium against the whole stack: a host page on
 * another loopback port frames a one-time session link and manages webhooks through it.
 */
(chromiumAvailable() ? describe : describe.skip)('embedded portal sessions (Chromium)', () => {
  let stack: TestStack;
  let browser: PortalBrowser;
  let page: Page;
  let host: { origin: string; server: Server };
  let stranger: { origin: string; server: Server };
  let db: Client;
  const receiver = new Receiver();
  let allowedProblems: RegExp[] = [];

  const createSession = (body: Partial<CreatePortalSession>) =>
    data(stack.herald().POST('/v1/portal-sessions', { body: { tenantId: 'acme', ...body } }));
  const embed = async (origin: string, url: string): Promise<FrameLocator> => {
    await page.goto(`${origin}/?src=${encodeURIComponent(url)}`);
    return page.frameLocator('#portal');
  };
  /** The RGB of the middle pixel of an element in a real screenshot, decoded by a canvas. */
  const screenshotColor = async (png: Buffer): Promise<number[]> => {
    const probe = await browser.context.newPage();
    try {
      return await probe.evaluate(
        async (dataUrl) => {
          // Runs in the page: DOM globals, which this (node) program's types do not declare.
          const { Image, document } = globalThis as any;
          const image = new Image();
          image.src = dataUrl;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          return [...(context.getImageData(Math.floor(image.width / 2), 3, 1, 1).data.slice(0, 3) as number[])];
        },
        `data:image/png;base64,${png.toString('base64')}`,
      );
    } finally {
      await probe.close();
    }
  };

  beforeAll(async () => {
    [host, stranger] = await Promise.all([startHostPage(), startHostPage()]);
    await receiver.start();
    stack = await startTestStack({ env: { 'subscription-api': { PORTAL_FRAME_ANCESTORS: host.origin } } });
    expect((await stack.api('/v1/event-types', { method: 'POST', body: { name: 'order.created' } })).status).toBe(201);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    browser = await openPortalBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await stack?.stop();
    await receiver.stop();
    await Promise.all([host, stranger].map((h) => h && new Promise((r) => h.server.close(r))));
  });

  afterEach(() => {
    const problems = (browser?.problems ?? []).filter((p) => !expectedProblem(allowedProblems)(p));
    browser?.problems.splice(0);
    allowedProblems = [];
    expect(problems).toEqual([]);
  });

  it('runs inside the listed host page in its branding, manages webhooks, and reports height and route', async () => {
    const index = await fetch(`${stack.gatewayUrl}/admin/`);
    expect(index.headers.get('content-security-policy')).toContain(`frame-ancestors ${host.origin}`);
    expect(index.headers.get('x-frame-options')).toBeNull();

    const session = await createSession({ branding: { productName: 'Acme Cloud', primaryColor: PRIMARY } });
    const portal = await embed(host.origin, session.url);
    await portal.getByRole('heading', { name: 'No webhooks configured' }).waitFor();
    await expectText(portal.locator('.topbar__brand'), 'Acme Cloud');

    const newButton = portal.getByRole('button', { name: 'New webhook' });
    const button = await newButton.elementHandle();
    expect(await button!.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor)).toBe(
      `rgb(${PRIMARY_RGB.join(', ')})`,
    );
    const shot = await newButton.screenshot();
    await browser.screenshot('portal-session-01-embedded');
    const [r, g, b] = await screenshotColor(shot);
    for (const [seen, wanted] of [
      [r, PRIMARY_RGB[0]],
      [g, PRIMARY_RGB[1]],
      [b, PRIMARY_RGB[2]],
    ])
      expect(Math.abs(seen - wanted)).toBeLessThanOrEqual(3);

    await newButton.click();
    const dialog = portal.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByLabel('Webhook name').fill('Acme orders');
    await dialog.getByLabel('Endpoint URL').fill(`${receiver.url}/orders`);
    await dialog.getByRole('checkbox', { name: /order\.created/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = portal.getByRole('article', { name: 'Acme orders' });
    await card.getByRole('button', { name: 'Actions for Acme orders' }).click();
    await card.getByRole('menuitem', { name: 'Deactivate Acme orders' }).click();
    await expectText(card.locator('.badge').first(), 'Inactive');
    await browser.screenshot('portal-session-02-managed');

    const listed = await stack.api('/v1/webhooks', { headers: { 'x-tenant-id': 'acme' } });
    expect(listed.body.data).toMatchObject([
      { name: 'Acme orders', status: 'INACTIVE', url: `${receiver.url}/orders` },
    ]);
    // The admin audit trail reaches its table through Kafka and audit-log: poll for the session's entries.
    const audit = await eventually(
      async () => {
        const page = await stack.api(`/v1/audit-log?resourceId=${listed.body.data[0].id}`, {
          headers: { 'x-tenant-id': 'acme' },
        });
        expect(page.status).toBe(200);
        return JSON.stringify(page.body).includes(session.id) ? page.body : undefined;
      },
      30_000,
      'audit entries naming the portal session',
    );
    expect(JSON.stringify(audit)).toContain(session.id);

    const messages = (await page.evaluate('window.heraldMessages')) as { type: string; height?: number }[];
    expect(messages.some((m) => m.type === 'resize' && (m.height ?? 0) > 100)).toBe(true);
    expect(messages.some((m) => m.type === 'navigate')).toBe(true);
  });

  it('shows a read-only session no write action, and its API refuses a write sent from inside the frame', async () => {
    const session = await createSession({ scope: 'read-only' });
    const portal = await embed(host.origin, session.url);
    const card = portal.getByRole('article', { name: 'Acme orders' });
    await card.waitFor();
    expect(await portal.getByRole('button', { name: 'New webhook' }).isVisible()).toBe(false);
    expect(await card.getByRole('button', { name: 'Actions for Acme orders' }).isVisible()).toBe(false);
    expect(await card.getByRole('link', { name: 'Event log of Acme orders' }).isVisible()).toBe(true);
    await browser.screenshot('portal-session-03-read-only');

    allowedProblems = [/status of 403/];
    const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame())!;
    const id = (await stack.api('/v1/webhooks', { headers: { 'x-tenant-id': 'acme' } })).body.data[0].id as string;
    const write = await frame.evaluate(async (path) => {
      const { fetch } = globalThis as any;
      const init = { method: 'PATCH', headers: { 'x-herald-portal': '1', 'content-type': 'application/json' } };
      const response = await fetch(path, { ...init, body: JSON.stringify({ name: 'taken over' }) });
      return { status: response.status, body: await response.json() };
    }, `/v1/webhooks/${id}`);
    expect(write).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const after = await stack.api(`/v1/webhooks/${id}`, { headers: { 'x-tenant-id': 'acme' } });
    expect(after.body.name).toBe('Acme orders');
  });

  it('refuses the same link a second time, and an expired or revoked session', async () => {
    const session = await createSession({});
    await embed(host.origin, session.url);
    await page.frameLocator('#portal').getByRole('heading', { name: 'Webhooks' }).waitFor();

    // The replayed link's refusal, and the favicon Chromium then asks the API's origin for.
    allowedProblems = [/status of 401/, /status of 404/];
    const replay = await page.goto(session.url);
    expect(replay!.status()).toBe(401);
    expect(await replay!.json()).toMatchObject({ error: { code: 'unauthorized' } });

    // Revoked while open: the portal's next request is refused and it says the session ended.
    const revoke = (tenant: string) =>
      stack.herald(tenant).DELETE('/v1/portal-sessions/{id}', { params: { path: { id: session.id } } });
    expect(isHeraldApiError(await revoke('default').catch((e) => e), 'not_found')).toBe(true);
    expect((await revoke('acme')).response.status).toBe(204);
    const reopened = await embed(host.origin, `${stack.gatewayUrl}/admin/`);
    await reopened.getByRole('heading', { name: 'Session ended' }).waitFor();
    await browser.screenshot('portal-session-04-ended');

    const expiring = await createSession({});
    await db.query("UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring.id]);
    const expired = await page.goto(expiring.url);
    expect(expired!.status()).toBe(401);
  });

  it('is refused by the browser when framed by an origin the operator did not list', async () => {
    const session = await createSession({});
    allowedProblems = [/frame-ancestors/, /Refused to (display|frame)/];
    await embed(stranger.origin, session.url);
    const frame = () => page.frames().find((f) => f.parentFrame() === page.mainFrame());
    const deadline = Date.now() + 30_000;
    while (!frame()?.url().startsWith('chrome-error://') && Date.now() < deadline) await page.waitForTimeout(100);
    expect(frame()?.url()).toMatch(/^chrome-error:\/\//);
    expect(await page.frameLocator('#portal').getByRole('button', { name: 'New webhook' }).count()).toBe(0);
    // The listed host still frames it.
    const again = await createSession({});
    await (await embed(host.origin, again.url)).getByRole('heading', { name: 'Webhooks' }).waitFor();
  });
});
