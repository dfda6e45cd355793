import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { MINDSTAMP_EVENTS } from '@herald/profiles';
import { Receiver, eventually, startTestStack, type ReceivedRequest, type TestStack } from '@herald/testing';
import { chromiumAvailable, expectText, openPortalBrowser } from './portal-browser';

jest.setTimeout(300_000);

const TENANT = 'studio';
const BASE = '/api/v1/mindstamp';

/**
 * Mindstamp's model through the gateway: account URLs per kind, the account X-KEY, per-video opt-in
 * and override URLs, the unsaved-URL test, and the profile turned on for one tenant by the operator.
 */
describe('Mindstamp profile through the gateway', () => {
  let stack: TestStack;
  const receiver = new Receiver();
  const asStudio = { 'x-tenant-id': TENANT };
  const studio = (path: string, init: { method?: string; body?: unknown } = {}) =>
    stack.api(`${BASE}${path}`, { ...init, headers: asStudio });

  beforeAll(async () => {
    await receiver.start();
    // Only MindBridge for the deployment: Mindstamp is turned on per tenant below.
    stack = await startTestStack({ env: { 'subscription-api': { SEED_PROFILES: 'mindbridge' } } });
    const enabled = await stack.api(`/v1/tenants/${TENANT}/profiles/mindstamp`, { method: 'PUT' });
    expect(enabled.status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  const publish = async (eventType: string, videoId: string) => {
    const posted = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType, tenantId: TENANT, data: { videoId, viewer: 'v@example.com' } },
    });
    expect(posted.status).toBe(202);
    return posted.body.eventId as string;
  };
  const requestsFor = (eventId: string) => receiver.requests.filter((r) => JSON.parse(r.body).eventId === eventId);
  const deliveryOf = (eventId: string) =>
    eventually(async () => requestsFor(eventId)[0], 60_000, `delivery of ${eventId}`);
  const mindstampWebhooks = async () =>
    ((await stack.api('/v1/webhooks', { headers: asStudio })).body.data as any[]).filter(
      (w) => w.metadata.mindstampKind,
    );

  it('is on only for the tenant the operator turned it on for, and only the operator may do so', async () => {
    const tenant = 'toggle-studio';
    const minted = await stack.api('/v1/api-keys', {
      method: 'POST',
      body: { name: 'studio admin', scopes: ['admin'], tenantId: tenant },
    });
    const tenantKey = { authorization: `Bearer ${minted.body.key}` };
    const off = await stack.api(`${BASE}/integration`, { headers: tenantKey });
    expect(off.status).toBe(404);
    expect(off.body.error.message).toContain(`PUT /v1/tenants/${tenant}/profiles/mindstamp`);

    const byTenant = await stack.api(`/v1/tenants/${tenant}/profiles/mindstamp`, { method: 'PUT', headers: tenantKey });
    expect(byTenant.status).toBe(403);
    expect(byTenant.body.error.message).toContain('operator');
    const unknown = await stack.api(`/v1/tenants/${tenant}/profiles/mindstep`, { method: 'PUT' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('profile must be one of mindbridge, mindset, mindstamp');

    const on = await stack.api(`/v1/tenants/${tenant}/profiles/mindstamp`, { method: 'PUT' });
    expect(on.status).toBe(200);
    expect(on.body.data).toContainEqual({
      profile: 'mindstamp',
      title: 'Mindstamp',
      enabled: true,
      deploymentWide: false,
      enabledForTenant: true,
    });
    // What the tenant (and its portal) sees: Mindstamp for it, MindBridge for everyone, Mindset for no one.
    const mine = await stack.api('/v1/profiles', { headers: tenantKey });
    expect(Object.fromEntries(mine.body.data.map((p: any) => [p.profile, p.enabled]))).toEqual({
      mindbridge: true,
      mindset: false,
      mindstamp: true,
    });
    expect((await stack.api(`${BASE}/integration`, { headers: tenantKey })).status).toBe(200);
    // Another tenant still sees it off; the catalog now holds the three kinds.
    expect((await stack.api(`${BASE}/integration`, { headers: { 'x-tenant-id': 'elsewhere' } })).status).toBe(404);
    const types = (await stack.api('/v1/event-types')).body.data.map((t: any) => t.name);
    expect(types).toEqual(expect.arrayContaining([...MINDSTAMP_EVENTS]));

    const disabled = await stack.api(`/v1/tenants/${tenant}/profiles/mindstamp`, { method: 'DELETE' });
    expect(disabled.status).toBe(200);
    expect((await stack.api(`${BASE}/integration`, { headers: tenantKey })).status).toBe(404);
  });

  it('refuses bad settings with a 400 naming the field, and keeps what was saved', async () => {
    const saved = await studio('/integration', { method: 'PUT', body: { urls: { view: `${receiver.url}/first` } } });
    expect(saved.status).toBe(200);
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/integration', { urls: { view: 'ftp://files.example.com/x' } }, 'urls.view'],
      ['PUT', '/integration', { urls: { click: 'https://x.example.com' } }, 'click'],
      ['PUT', '/integration', { urls: 'https://x.example.com' }, 'urls'],
      ['PUT', '/videos/vid-1', { view: { enabled: 'yes' } }, 'view.enabled'],
      ['PUT', '/videos/vid-1', { lead: { enabled: true, url: 'javascript:alert(1)' } }, 'lead.url'],
      ['PUT', '/videos/bad%20id', { view: { enabled: true } }, 'videoId'],
      ['POST', '/url-tests', { url: `${receiver.url}/x`, kind: 'click' }, 'kind'],
    ];
    for (const [method, path, body, field] of cases) {
      const refused = await studio(path, { method, body });
      expect([path, refused.status]).toEqual([path, 400]);
      expect(refused.body.error.message).toContain(field);
    }
    expect((await studio('/integration')).body.urls.view).toBe(`${receiver.url}/first`);
    expect((await studio('/videos/vid-1')).status).toBe(404);
  });

  it('delivers to the account URL, to an override, and not for a video that did not opt in; X-KEY on each, rotatable', async () => {
    const { xKey } = (await studio('/integration/x-key')).body;
    expect(xKey).toMatch(/^msk_[A-Za-z0-9_-]{32}$/);
    const urls = Object.fromEntries(MINDSTAMP_EVENTS.map((kind) => [kind, `${receiver.url}/account/${kind}`]));
    const account = await studio('/integration', { method: 'PUT', body: { urls } });
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ urls, xKeyGeneratedAt: expect.any(String) });

    const override = `${receiver.url}/override/lead`;
    const a = await studio('/videos/vid-a', {
      method: 'PUT',
      body: { view: { enabled: true, url: '' }, lead: { enabled: true, url: override } },
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      videoId: 'vid-a',
      view: { enabled: true, url: null, deliveredTo: urls.view },
      interaction: { enabled: false, url: null, deliveredTo: null },
      lead: { enabled: true, url: override, deliveredTo: override },
    });
    await studio('/videos/vid-b', {
      method: 'PUT',
      body: { view: { enabled: false }, interaction: { enabled: true } },
    });
    expect((await studio('/videos')).body.data.map((v: any) => v.videoId)).toEqual(['vid-a', 'vid-b']);

    const view = await deliveryOf(await publish('view', 'vid-a'));
    const lead = await deliveryOf(await publish('lead', 'vid-a'));
    const interaction = await deliveryOf(await publish('interaction', 'vid-b'));
    expect([view.path, lead.path, interaction.path]).toEqual([
      '/account/view',
      '/override/lead',
      '/account/interaction',
    ]);
    for (const request of [view, lead, interaction]) expect(request.headers['x-key']).toBe(xKey);
    expect(JSON.parse(lead.body)).toMatchObject({ event: 'lead', tenantId: TENANT, data: { videoId: 'vid-a' } });

    // Herald's own signature too: the webhook behind the account URL is an ordinary Herald webhook.
    const webhooks = await mindstampWebhooks();
    const viewHook = webhooks.find((w) => w.url === urls.view)!;
    const secret = (await stack.api(`/v1/webhooks/${viewHook.id}/secret`, { headers: asStudio })).body.secret;
    expect(new Webhook(secret).verify(view.body, view.headers as Record<string, string>)).toMatchObject({
      event: 'view',
    });

    // Not opted in (vid-b's view), never configured (vid-c): nothing sent. The control, published
    // last on the same partition, proves the two were matched before it.
    const optedOut = await publish('view', 'vid-b');
    const unknown = await publish('lead', 'vid-c');
    const control = await deliveryOf(await publish('view', 'vid-a'));
    expect(control.path).toBe('/account/view');
    expect([requestsFor(optedOut), requestsFor(unknown)]).toEqual([[], []]);

    // The X-KEY is a secret: redacted in the attempt record, in no answer but reveal and rotate.
    const attempts = await eventually(
      async () => {
        const page = await stack.api(`/v1/attempts?eventId=${JSON.parse(view.body).eventId}`, { headers: asStudio });
        return page.body.data?.length ? page.body.data : undefined;
      },
      60_000,
      'the attempt record',
    );
    expect(attempts[0].request.headers['x-key']).toBe('[redacted]');
    expect(JSON.stringify(attempts)).not.toContain(xKey);
    expect(JSON.stringify(await studio('/integration'))).not.toContain(xKey);
    expect(JSON.stringify(webhooks)).not.toContain(xKey);
    // At rest the X-KEY is sealed, in the account row and on each of its webhooks.
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const stored = await db.query(
      'SELECT x_key FROM mindstamp_accounts UNION ALL SELECT static_key FROM webhooks WHERE static_key IS NOT NULL',
    );
    await db.end();
    expect(stored.rows.length).toBeGreaterThan(1);
    for (const row of stored.rows) expect(row.x_key).toMatch(/^hsb1:/);
    expect(JSON.stringify(stored.rows)).not.toContain(xKey);

    const rotated = await studio('/integration/x-key/rotate', { method: 'POST' });
    expect(rotated.status).toBe(200);
    const newKey: string = rotated.body.xKey;
    expect(newKey).not.toBe(xKey);
    expect((await studio('/integration/x-key')).body.xKey).toBe(newKey);
    const afterRotation = await deliveryOf(await publish('lead', 'vid-a'));
    expect(afterRotation.headers['x-key']).toBe(newKey);

    // Forgetting a video removes the override's webhook; the account URLs' webhooks stay for vid-b.
    expect((await studio('/videos/vid-a', { method: 'DELETE' })).status).toBe(204);
    expect((await mindstampWebhooks()).map((w) => w.url)).toEqual([urls.interaction]);
  });

  it("tests a URL before it is saved: a signed sample of the kind with the account's X-KEY, guarded, nothing stored", async () => {
    const before = await mindstampWebhooks();
    const { xKey } = (await studio('/integration/x-key')).body;
    const tested = await studio('/url-tests', {
      method: 'POST',
      body: { url: `${receiver.url}/unsaved/lead`, kind: 'lead', videoId: 'vid-new' },
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({
      outcome: 'success',
      eventType: 'lead',
      secret: expect.stringMatching(/^whsec_/),
    });
    const request: ReceivedRequest = receiver.requests.find((r) => r.path === '/unsaved/lead')!;
    expect(request.headers['x-key']).toBe(xKey);
    expect(tested.body.request.headers['x-key']).toBe('[redacted]');
    expect(
      new Webhook(tested.body.secret).verify(request.body, request.headers as Record<string, string>),
    ).toMatchObject({ event: 'lead', tenantId: TENANT, data: { videoId: 'vid-new' } });
    const refused = await studio('/url-tests', {
      method: 'POST',
      body: { url: 'http://169.254.169.254/latest/meta-data', kind: 'view' },
    });
    expect(refused.status).toBe(400);
    expect(await mindstampWebhooks()).toEqual(before);
    expect((await studio('/videos/vid-new')).status).toBe(404);
  });

  (chromiumAvailable() ? it : it.skip)(
    'portal (Chromium): the settings page only when the profile is on; account URLs, X-KEY reveal/copy/rotate, a video override',
    async () => {
      const tenant = 'portal-studio';
      expect((await stack.api(`/v1/tenants/${tenant}/profiles/mindstamp`, { method: 'PUT' })).status).toBe(200);
      const keyFor = async (tenantId: string) =>
        (await stack.api('/v1/api-keys', { method: 'POST', body: { name: 'portal', scopes: ['admin'], tenantId } }))
          .body.key as string;
      const browser = await openPortalBrowser();
      const { page } = browser;
      const signIn = async (key: string) => {
        await page.getByLabel('API key').fill(key);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Webhooks' }).first().waitFor();
      };
      try {
        // A tenant without the profile: no link, and nothing refused on the way.
        await page.goto(`${stack.gatewayUrl}/admin`);
        await signIn(await keyFor('plain-tenant'));
        await page.waitForLoadState('networkidle');
        expect(await page.getByRole('link', { name: 'Mindstamp integration' }).count()).toBe(0);
        await page.getByRole('button', { name: 'Sign out' }).click();

        await signIn(await keyFor(tenant));
        await page.getByRole('link', { name: 'Mindstamp integration' }).click();
        await page.getByRole('heading', { name: 'Mindstamp integration' }).waitFor();
        const viewUrl = `${receiver.url}/portal/account/view`;
        await page.getByLabel('View webhook URL').fill(viewUrl);
        await page.getByLabel('Lead webhook URL').fill(`${receiver.url}/portal/account/lead`);
        await page.getByRole('button', { name: 'Save URLs' }).click();
        await expectText(page.locator('.toast').last(), 'Account webhook URLs saved');
        const asTenant = { 'x-tenant-id': tenant };
        const saved = await stack.api(`${BASE}/integration`, { headers: asTenant });
        expect(saved.body.urls).toEqual({
          view: viewUrl,
          interaction: null,
          lead: `${receiver.url}/portal/account/lead`,
        });
        await browser.screenshot('mindstamp-01-account');

        const keyText = page.getByTestId('x-key');
        await expectText(keyText, /^•+$/);
        await page.getByRole('button', { name: 'Reveal' }).click();
        const first = (await stack.api(`${BASE}/integration/x-key`, { headers: asTenant })).body.xKey;
        await expectText(keyText, first);
        await page.getByRole('button', { name: 'Copy' }).click();
        await expectText(page.locator('.toast').last(), 'X-KEY copied');
        expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(first);
        await page.getByRole('button', { name: 'Rotate' }).click();
        await page.getByRole('dialog', { name: 'Rotate the X-KEY?' }).getByRole('button', { name: 'Rotate' }).click();
        await expectText(page.locator('.toast').last(), 'X-KEY rotated');
        const rotated = (await stack.api(`${BASE}/integration/x-key`, { headers: asTenant })).body.xKey;
        expect(rotated).not.toBe(first);
        await expectText(keyText, rotated);

        // A video: view opted in with an override, tested before saving, then saved.
        await page.getByLabel('Video id').fill('vid-portal');
        await page.getByRole('button', { name: 'Add video' }).click();
        const editor = page.getByRole('listitem', { name: 'Video vid-portal' });
        await editor.getByLabel('Send view webhooks').check();
        const override = `${receiver.url}/portal/override/view`;
        await editor.getByLabel('View override URL').fill(override);
        await editor.getByRole('button', { name: 'Test view URL' }).click();
        await expectText(page.locator('.toast').last(), 'Test sent: 200');
        const tested = receiver.requests.find((r) => r.path === '/portal/override/view')!;
        expect(tested.headers['x-key']).toBe(rotated);
        await browser.screenshot('mindstamp-02-video-editor');
        await editor.getByRole('button', { name: 'Save vid-portal' }).click();
        const row = page.locator('[data-video="vid-portal"]');
        await expectText(row, new RegExp(`View: ${override.replace(/[/.]/g, '\\$&')}.*Lead: off`));
        await browser.screenshot('mindstamp-03-videos');
        const posted = await stack.api('/v1/events', {
          method: 'POST',
          body: { eventType: 'view', tenantId: tenant, data: { videoId: 'vid-portal' } },
        });
        const delivered = await deliveryOf(posted.body.eventId);
        expect([delivered.path, delivered.headers['x-key']]).toEqual(['/portal/override/view', rotated]);

        await row.getByRole('button', { name: 'Edit vid-portal' }).click();
        await editor.getByRole('button', { name: 'Stop webhooks for vid-portal' }).click();
        await expectText(page.locator('.toast').last(), 'vid-portal removed');
        expect((await stack.api(`${BASE}/videos`, { headers: asTenant })).body.data).toEqual([]);
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
