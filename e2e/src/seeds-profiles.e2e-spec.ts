import { Webhook } from 'standardwebhooks';
import { MINDBRIDGE_EVENTS, MINDSET_EVENTS, MINDSTAMP_EVENTS, profilesApiPart } from '@herald/profiles';
import { profileApiSchemas } from '@herald/webhooks';
import {
  MINDSET_AGENT_EXAMPLE as agentData,
  Receiver,
  eventually,
  startTestStack,
  verifyWithSeedVerifier,
  type ReceivedRequest,
  type TestStack,
} from '@herald/testing';

jest.setTimeout(300_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const APP_UID = 'your-app-uid';
const documented = profilesApiPart(profileApiSchemas).schemas;
/** Parses an answer strictly with the schema the OpenAPI document gives it. */
const asDocumented = (name: string, body: unknown) =>
  [...documented].find(([, schema]) => schema === name)![0].parse(body);

/**
 * The seeds' documented requests replayed against the gateway (API host replaced; a receiver URL's
 * host replaced by the test receiver's), the deliveries checked by the Mindset guide's own verifiers.
 */
describe('seed profiles through the gateway', () => {
  let stack: TestStack;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack({ env: { 'subscription-api': { SEED_PROFILES: 'mindbridge,mindset,mindstamp' } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  const publish = async (tenantId: string, eventType: string, data: Record<string, unknown>) => {
    const posted = await stack.api('/v1/events', { method: 'POST', body: { eventType, tenantId, data } });
    expect(posted.status).toBe(202);
    return posted.body.eventId as string;
  };
  const deliveryOf = (eventId: string) =>
    eventually(
      async () => receiver.requests.find((r) => JSON.parse(r.body).eventId === eventId),
      60_000,
      `delivery of ${eventId}`,
    );
  const seedVerdicts = (request: ReceivedRequest, secret: string) =>
    (['parsed', 'raw'] as const).map(
      (variant) =>
        verifyWithSeedVerifier(
          [{ payload: request.body, signature: String(request.headers['x-webhook-signature']), secret }],
          variant,
        )[0],
    );

  it('Mindset: register, update, pause, list and delete at /api/v1/appuid/{appUid}/webhooks; payloads verify through a rotation', async () => {
    const path = `/api/v1/appuid/${APP_UID}/webhooks`;
    const registered = await stack.api(path, {
      method: 'POST',
      body: { url: `${receiver.url}/webhooks/mindset`, entities: ['agent', 'context', 'contextfile'], active: true },
    });
    expect(registered.status).toBe(201);
    const hook = registered.body;
    expect(hook).toMatchObject({
      uid: expect.any(String),
      url: `${receiver.url}/webhooks/mindset`,
      secret: expect.stringMatching(/^whsec_/),
      entities: ['agent', 'context', 'contextfile'],
      active: true,
      createdAt: expect.stringMatching(ISO),
    });
    expect(asDocumented('MindsetAIWebhook', hook)).toEqual(hook);
    const oldSecret: string = hook.secret;

    const updated = await stack.api(`${path}/${hook.uid}`, {
      method: 'PATCH',
      body: { url: `${receiver.url}/webhooks/mindset-v2`, entities: ['agent', 'context', 'contextfile'], active: true },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ uid: hook.uid, url: `${receiver.url}/webhooks/mindset-v2`, active: true });
    expect(updated.body).not.toHaveProperty('secret');

    const paused = await stack.api(`${path}/${hook.uid}`, { method: 'PATCH', body: { active: false } });
    expect(paused.body).toMatchObject({ uid: hook.uid, active: false });
    const resumed = await stack.api(`${path}/${hook.uid}`, { method: 'PATCH', body: { active: true } });
    expect(resumed.body.active).toBe(true);

    const listed = await stack.api(path);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ uid: hook.uid, active: true, lastTriggeredAt: null })]);
    expect(asDocumented('MindsetAIWebhookList', listed.body)).toEqual(listed.body);

    // Before a rotation: the documented payload, verified by both seed receivers and standardwebhooks.
    const first = await deliveryOf(await publish(APP_UID, 'agent.created', agentData));
    expect(first.path).toBe('/webhooks/mindset-v2');
    const payload = JSON.parse(first.body);
    expect(Object.keys(payload)).toEqual(['eventId', 'event', 'timestamp', 'appUid', 'version', 'data']);
    expect(payload).toMatchObject({ event: 'agent.created', appUid: APP_UID, version: 1, data: agentData });
    expect(payload.timestamp).toMatch(ISO);
    expect(first.headers).toMatchObject({
      'content-type': 'application/json',
      'x-webhook-event-id': payload.eventId,
      'x-webhook-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
      'x-webhook-timestamp': expect.stringMatching(ISO),
    });
    expect(seedVerdicts(first, oldSecret)).toEqual([true, true]);
    expect(new Webhook(oldSecret).verify(first.body, first.headers as Record<string, string>)).toEqual(payload);

    // During the overlap the receivers still hold the old secret; after it, the new one.
    const rotated = await stack.api(`/v1/webhooks/${hook.uid}/rotate-secret`, {
      method: 'POST',
      headers: { 'x-tenant-id': APP_UID },
      body: { overlapSeconds: 30 },
    });
    expect(rotated.status).toBe(200);
    const revealed = await stack.api(`/v1/webhooks/${hook.uid}/secret`, { headers: { 'x-tenant-id': APP_UID } });
    const newSecret: string = revealed.body.secret;
    const overlapEnds = Date.parse(revealed.body.previousSecretExpiresAt);
    expect(newSecret).not.toBe(oldSecret);
    const during = await deliveryOf(
      await publish(APP_UID, 'context.created', { uid: 'ctx-1', externalTenantId: 't-1' }),
    );
    expect(Date.parse(String(during.headers['x-webhook-timestamp']))).toBeLessThan(overlapEnds);
    expect(seedVerdicts(during, oldSecret)).toEqual([true, true]);
    expect(new Webhook(newSecret).verify(during.body, during.headers as Record<string, string>)).toBeTruthy();
    expect(new Webhook(oldSecret).verify(during.body, during.headers as Record<string, string>)).toBeTruthy();
    await new Promise((r) => setTimeout(r, Math.max(0, overlapEnds - Date.now() + 1000)));
    const after = await deliveryOf(
      await publish(APP_UID, 'contextfile.created', { uid: 'f-1', externalTenantId: 't-1' }),
    );
    expect(seedVerdicts(after, newSecret)).toEqual([true, true]);
    expect(seedVerdicts(after, oldSecret)).toEqual([false, false]);
    expect(new Webhook(newSecret).verify(after.body, after.headers as Record<string, string>)).toBeTruthy();

    // Another app's key reaches neither this app's webhooks nor, through its own appUid, this webhook.
    const minted = await stack.api('/v1/api-keys', {
      method: 'POST',
      body: { name: 'another app', scopes: ['admin'], tenantId: 'another-app' },
    });
    const otherKey = { authorization: `Bearer ${minted.body.key}` };
    expect((await stack.api(path, { headers: otherKey })).status).toBe(404);
    expect((await stack.api(`/api/v1/appuid/another-app/webhooks/${hook.uid}`, { headers: otherKey })).status).toBe(
      404,
    );
    expect((await stack.api('/api/v1/appuid/another-app/webhooks', { headers: otherKey })).body).toEqual([]);
    expect((await stack.api(`${path}/${hook.uid}`, { method: 'DELETE', headers: otherKey })).status).toBe(404);

    const deleted = await stack.api(`${path}/${hook.uid}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await stack.api(`${path}/${hook.uid}`)).status).toBe(404);
  });

  it('MindBridge: the documented create body, required fields, the 21-value enum and a technical contact that reaches a person', async () => {
    // The reference's request as printed (placeholders and an empty events list) is refused, naming the fields.
    const literal = await stack.api('/api/v1/webhooks', {
      method: 'POST',
      body: { name: '<string>', url: '<string>', technicalContactId: '<string>', events: [] },
    });
    expect(literal.status).toBe(400);
    expect(literal.body.error.message).toMatch(/events must list at least 1/);
    expect(literal.body.error.message).toMatch(/status/);

    const body = {
      name: 'ERP sync',
      url: `${receiver.url}/mindbridge`,
      technicalContactId: 'admin-7',
      events: ['ANALYSIS_COMPLETE', 'EXPORT_READY'],
      status: 'ACTIVE',
    };
    const unknownContact = await stack.api('/api/v1/webhooks', { method: 'POST', body });
    expect(unknownContact.status).toBe(400);
    expect(unknownContact.body.error.message).toContain('technicalContactId: "admin-7"');
    const badEvent = await stack.api('/api/v1/webhooks', {
      method: 'POST',
      body: { ...body, events: ['ANALYSIS_COMPLETE', 'agent.created'] },
    });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error.message).toContain('USER_LOGIN');

    const contact = await stack.api('/v1/contacts/admin-7', {
      method: 'PUT',
      body: { name: 'Ada Admin', email: 'ada@example.com' },
    });
    expect(contact.status).toBe(200);
    const created = await stack.api('/api/v1/webhooks', { method: 'POST', body });
    expect(created.status).toBe(201);
    const user = { userId: expect.any(String), userName: expect.any(String) };
    expect(created.body).toEqual({
      id: expect.any(String),
      version: 1,
      creationDate: expect.stringMatching(ISO),
      lastModifiedDate: expect.stringMatching(ISO),
      createdUserInfo: user,
      lastModifiedUserInfo: user,
      name: 'ERP sync',
      url: body.url,
      technicalContactId: 'admin-7',
      events: ['ANALYSIS_COMPLETE', 'EXPORT_READY'],
      publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{40,}={0,2}$/),
      keyGenerationTimestamp: expect.stringMatching(ISO),
      status: 'ACTIVE',
    });
    expect(asDocumented('MindBridgeWebhook', created.body)).toEqual(created.body);
    const id: string = created.body.id;
    // The contact's e-mail is where failures are reported, and follows the contact.
    expect((await stack.api(`/v1/webhooks/${id}`)).body.failureEmail).toBe('ada@example.com');
    await stack.api('/v1/contacts/admin-7', {
      method: 'PUT',
      body: { name: 'Ada Admin', email: 'ada@ops.example.com' },
    });
    expect((await stack.api(`/v1/webhooks/${id}`)).body.failureEmail).toBe('ada@ops.example.com');
    expect((await stack.api('/v1/contacts/admin-7', { method: 'DELETE' })).status).toBe(409);
    expect((await stack.api('/v1/contacts/admin-7', { headers: { 'x-tenant-id': 'tenant-b' } })).status).toBe(404);

    expect((await stack.api(`/api/v1/webhooks/${id}`)).body).toMatchObject({ id, version: 2, status: 'ACTIVE' });
    expect((await stack.api('/api/v1/webhooks')).body).toEqual([expect.objectContaining({ id })]);
    const replaced = await stack.api(`/api/v1/webhooks/${id}`, {
      method: 'PUT',
      body: { ...body, status: 'INACTIVE', version: 2 },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, version: 3, status: 'INACTIVE' });
    const stale = await stack.api(`/api/v1/webhooks/${id}`, { method: 'PUT', body: { ...body, version: 2 } });
    expect(stale.status).toBe(409);
    expect((await stack.api(`/api/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('ships the MindBridge, Mindset and Mindstamp catalogs with schemas, and delivers one event of each', async () => {
    const types = await stack.api('/v1/event-types');
    const names = [...MINDBRIDGE_EVENTS, ...MINDSET_EVENTS, ...MINDSTAMP_EVENTS];
    expect(names).toHaveLength(33);
    const listed = new Map((types.body.data as { name: string; schema: unknown }[]).map((t) => [t.name, t]));
    for (const name of names) expect(listed.get(name)?.schema).toEqual(expect.objectContaining({ type: 'object' }));

    const all = await stack.api('/v1/webhooks', {
      method: 'POST',
      headers: { 'x-tenant-id': 'catalog' },
      body: { url: `${receiver.url}/catalog`, events: ['*'] },
    });
    expect(all.status).toBe(201);
    const dataFor = (name: string) =>
      (MINDSTAMP_EVENTS as readonly string[]).includes(name)
        ? { videoId: 'vid-1' }
        : name.includes('.')
          ? { uid: 'r-1', externalTenantId: 't-1' }
          : { id: name };
    for (const name of names) await publish('catalog', name, dataFor(name));
    const received = await eventually(
      async () => {
        const seen = receiver.requests.filter((r) => r.path === '/catalog').map((r) => JSON.parse(r.body).event);
        return seen.length >= names.length ? seen : undefined;
      },
      90_000,
      'one delivery per catalog event',
    );
    expect([...received].sort()).toEqual([...names].sort());
    // The catalog now holds declared types: a name outside it is refused at ingest.
    const undeclared = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'order.created', tenantId: 'catalog', data: {} },
    });
    expect(undeclared.status).toBe(400);
  });

  it('tests a URL before it is saved: signed as a delivery, with the X-KEY, guarded, and nothing stored', async () => {
    const before = (await stack.api('/v1/webhooks', { headers: { 'x-tenant-id': 'url-test' } })).body.data;
    const tested = await stack.api('/v1/url-tests', {
      method: 'POST',
      headers: { 'x-tenant-id': 'url-test' },
      body: {
        url: `${receiver.url}/unsaved`,
        eventType: 'view',
        data: { videoId: 'vid-9' },
        staticKey: 'mindstamp-x-key-0001',
      },
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({
      outcome: 'success',
      eventType: 'view',
      secret: expect.stringMatching(/^whsec_/),
    });
    const request = receiver.requests.find((r) => r.path === '/unsaved')!;
    expect(request.headers['x-key']).toBe('mindstamp-x-key-0001');
    expect(
      new Webhook(tested.body.secret).verify(request.body, request.headers as Record<string, string>),
    ).toMatchObject({
      event: 'view',
      data: { videoId: 'vid-9' },
    });
    const refused = await stack.api('/v1/url-tests', {
      method: 'POST',
      headers: { 'x-tenant-id': 'url-test' },
      body: { url: 'http://169.254.169.254/latest/meta-data' },
    });
    expect(refused.status).toBe(400);
    expect((await stack.api('/v1/webhooks', { headers: { 'x-tenant-id': 'url-test' } })).body.data).toEqual(before);
  });

  it('refuses portal sessions on every profile, contacts and URL-test route (API keys only: no session subset to bypass)', async () => {
    const created = await stack.api('/v1/portal-sessions', {
      method: 'POST',
      headers: { 'x-tenant-id': 'session-tenant' },
      body: { scope: 'full' },
    });
    expect(created.status).toBe(201);
    const opened = await fetch(created.body.url, { redirect: 'manual' });
    const cookie = /herald_session=([^;]+)/.exec(opened.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    const asSession = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.gatewayUrl}${path}`, {
        method,
        headers: { cookie: `herald_session=${cookie}`, 'x-herald-portal': '1', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((response) => response.status);
    // The same cookie is a working session on Herald's own routes.
    expect(await asSession('GET', '/v1/webhooks')).toBe(200);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/webhooks'],
      ['POST', '/api/v1/webhooks', {}],
      ['GET', '/api/v1/webhooks/wh_x'],
      ['PUT', '/api/v1/webhooks/wh_x', {}],
      ['DELETE', '/api/v1/webhooks/wh_x'],
      ['GET', '/api/v1/appuid/session-tenant/webhooks'],
      ['POST', '/api/v1/appuid/session-tenant/webhooks', {}],
      ['PATCH', '/api/v1/appuid/session-tenant/webhooks/wh_x', {}],
      ['DELETE', '/api/v1/appuid/session-tenant/webhooks/wh_x'],
      ['GET', '/v1/contacts'],
      ['PUT', '/v1/contacts/c1', {}],
      ['POST', '/v1/url-tests', {}],
    ];
    const answers = await Promise.all(routes.map(([method, path, body]) => asSession(method, path, body)));
    expect(routes.map(([method, path], i) => `${method} ${path} ${answers[i]}`)).toEqual(
      routes.map(([method, path]) => `${method} ${path} 403`),
    );
  });
});
