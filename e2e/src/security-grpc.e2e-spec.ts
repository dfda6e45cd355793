import { randomBytes } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { freePort } from '@herald/stack';
import { TEST_ADMIN_KEY, startTestStack, type TestStack } from '@herald/testing';
import { AdminGrpcClient, type AdminGrpcCredentials, type AdminGrpcOutcome } from '@herald/webhooks';

jest.setTimeout(180_000);

/** Ids of the victim tenant's resources, filled in before the matrix runs. */
interface Victim {
  webhookId: string;
  apiKeyId: string;
  eventType: string;
}

/**
 * One row per RPC of admin.proto. `scope`: what the RPC needs (a read key must get
 * PERMISSION_DENIED on every `admin` one). `crossTenant`: what another tenant's admin key gets —
 * `victim` (it names the victim's resource: NOT_FOUND or PERMISSION_DENIED), `list` (its own,
 * possibly empty, view: OK) or `own` (it creates in its own tenant: OK).
 */
interface Row {
  scope: 'read' | 'admin';
  crossTenant: 'victim' | 'list' | 'own';
  request: (v: Victim) => object;
}

const ROWS: Record<string, Row> = {
  CreateWebhook: {
    scope: 'admin',
    crossTenant: 'own',
    request: () => ({ url: 'http://127.0.0.2:9/x', events: ['*'] }),
  },
  GetWebhook: { scope: 'read', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  ListWebhooks: { scope: 'read', crossTenant: 'list', request: () => ({}) },
  UpdateWebhook: {
    scope: 'admin',
    crossTenant: 'victim',
    request: (v) => ({ id: v.webhookId, name: 'taken over', url: 'http://127.0.0.2:9/evil' }),
  },
  DeleteWebhook: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  ActivateWebhook: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  DeactivateWebhook: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  RevealWebhookSecret: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  RotateWebhookSecret: {
    scope: 'admin',
    crossTenant: 'victim',
    request: (v) => ({ id: v.webhookId, overlapSeconds: 0 }),
  },
  RotateWebhookKey: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  SendTestEvent: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.webhookId }) },
  // Naming the victim's tenant makes creating a key an attempt on it.
  CreateApiKey: {
    scope: 'admin',
    crossTenant: 'victim',
    request: () => ({ name: 'intruder', scopes: ['admin'], tenantId: 'tenant-a' }),
  },
  ListApiKeys: { scope: 'admin', crossTenant: 'list', request: () => ({ includeRevoked: true }) },
  RevokeApiKey: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ id: v.apiKeyId }) },
  // The catalog is the operator's: a tenant key may read it, never change it.
  CreateEventType: { scope: 'admin', crossTenant: 'victim', request: () => ({ name: 'intruder.created' }) },
  ListEventTypes: { scope: 'read', crossTenant: 'list', request: () => ({ includeDeprecated: true }) },
  DeprecateEventType: { scope: 'admin', crossTenant: 'victim', request: (v) => ({ name: v.eventType }) },
};

const VICTIM_MARKER = `victim-${randomBytes(6).toString('hex')}`;
const HEADER_SECRET = `hdr-secret-${randomBytes(12).toString('hex')}`;
const STATIC_SECRET = `static-secret-${randomBytes(12).toString('hex')}`;
const VICTIM_URL = `http://127.0.0.2:9/victim-${randomBytes(4).toString('hex')}`;
// Low, so the flood below trips it however slowly this machine sends; the burst leaves room
// for the matrix's calls with one key.
const RATE = { perSecond: 1, burst: 50 };

const codeName = (code: number) => status[code] ?? String(code);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** Everything a client sees of an outcome: the message, or the error's details and trailers. */
const visible = (outcome: AdminGrpcOutcome) =>
  outcome.ok
    ? JSON.stringify(outcome.value)
    : `${outcome.error.details}\n${JSON.stringify(outcome.error.metadata?.getMap() ?? {})}`;

/**
 * The admin API's gRPC transport under the security suite's auth matrix: every RPC in
 * admin.proto against every kind of wrong credential, on the real stack; and the per-key rate
 * limit, shared with REST.
 */
describe('security over gRPC', () => {
  let stack: TestStack;
  let grpc: AdminGrpcClient;
  const keys = { adminA: '', readA: '', revokedA: '', adminB: '' };
  const victim: Victim & { secret: string; version: number } = {
    webhookId: '',
    apiKeyId: '',
    eventType: 'victim.created',
    secret: '',
    version: 0,
  };

  const asBootstrap = (tenant: string): AdminGrpcCredentials => ({ ...bearer(TEST_ADMIN_KEY), tenant });
  const call = (rpc: string, credentials: AdminGrpcCredentials) =>
    grpc.call(rpc, ROWS[rpc].request(victim), credentials);
  const must = async (rpc: string, request: object, credentials: AdminGrpcCredentials) => {
    const outcome = await grpc.call(rpc, request, credentials);
    if (!outcome.ok) throw new Error(`${rpc}: ${codeName(outcome.error.code)} ${outcome.error.details}`);
    return outcome.value;
  };
  /** `rpc` with `label`, unless the outcome's code is one of `expected`. */
  const violation = (rpc: string, label: string, outcome: AdminGrpcOutcome, expected: number[]) => {
    const code = outcome.ok ? status.OK : outcome.error.code;
    return expected.includes(code) ? [] : [`${rpc} with ${label}: ${codeName(code)} ${visible(outcome).slice(0, 160)}`];
  };

  beforeAll(async () => {
    const grpcPort = await freePort();
    stack = await startTestStack({
      env: {
        'subscription-api': {
          // Loopback only: the stack's services listen on 127.0.0.1 (GRPC_HOST's default, spelled out).
          GRPC_HOST: '127.0.0.1',
          GRPC_PORT: String(grpcPort),
          API_RATE_LIMIT_PER_SECOND: String(RATE.perSecond),
          API_RATE_LIMIT_BURST: String(RATE.burst),
        },
      },
    });
    grpc = new AdminGrpcClient(`127.0.0.1:${grpcPort}`);

    const key = async (tenantId: string, scopes: string[]) =>
      (await must('CreateApiKey', { name: `k ${tenantId}`, scopes, tenantId }, asBootstrap(tenantId))) as {
        id: string;
        key: string;
      };
    const [adminA, readA, revokedA, adminB] = await Promise.all([
      key('tenant-a', ['admin']),
      key('tenant-a', ['read']),
      key('tenant-a', ['admin']),
      key('tenant-b', ['admin']),
    ]);
    Object.assign(keys, { adminA: adminA.key, readA: readA.key, revokedA: revokedA.key, adminB: adminB.key });
    victim.apiKeyId = readA.id;
    await must('RevokeApiKey', { id: revokedA.id }, asBootstrap('tenant-a'));
    await must('CreateEventType', { name: victim.eventType }, asBootstrap('tenant-a'));

    const created = await must(
      'CreateWebhook',
      {
        name: 'Victim hook',
        description: VICTIM_MARKER,
        url: VICTIM_URL,
        events: [victim.eventType],
        headers: { 'X-Custom-Auth': HEADER_SECRET },
        staticKey: STATIC_SECRET,
      },
      bearer(keys.adminA),
    );
    victim.webhookId = created.id;
    victim.secret = created.secret;
    victim.version = created.version;
    expect(victim.secret).toMatch(/^whsec_/);
  });

  afterAll(async () => {
    grpc?.close();
    await stack?.stop();
  });

  it('has a matrix row for every RPC in admin.proto', () => {
    // A new RPC without a row fails here, before any of it goes untested.
    expect(grpc.rpcs.length).toBeGreaterThan(0);
    expect([...grpc.rpcs].sort()).toEqual(Object.keys(ROWS).sort());
  });

  it('refuses every RPC without authorization, malformed, with an unknown token and with a revoked key (UNAUTHENTICATED)', async () => {
    const credentials: Record<string, AdminGrpcCredentials> = {
      'no authorization metadata': {},
      'an empty bearer': { authorization: 'Bearer ' },
      'another scheme': { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      'a bare token': { authorization: keys.adminA },
      'two tokens': { authorization: `Bearer ${keys.adminA} ${keys.adminA}` },
      'an unknown token': bearer(`hk_${randomBytes(32).toString('base64url')}`),
      'a token of another shape': bearer('not-a-herald-key-0000000000'),
      'a revoked key': bearer(keys.revokedA),
      'a revoked key naming its tenant': { ...bearer(keys.revokedA), tenant: 'tenant-a' },
    };
    const violations: string[] = [];
    for (const rpc of grpc.rpcs) {
      for (const [label, creds] of Object.entries(credentials)) {
        violations.push(...violation(rpc, label, await call(rpc, creds), [status.UNAUTHENTICATED]));
      }
    }
    expect(violations).toEqual([]);
  });

  it('gives a read-scope key the read RPCs only (PERMISSION_DENIED on every other one)', async () => {
    const violations: string[] = [];
    for (const rpc of grpc.rpcs) {
      const expected = ROWS[rpc].scope === 'read' ? [status.OK] : [status.PERMISSION_DENIED];
      violations.push(...violation(rpc, 'a read key', await call(rpc, bearer(keys.readA)), expected));
    }
    expect(violations).toEqual([]);
  });

  it("never lets another tenant's admin key see or touch the victim's resources", async () => {
    const violations: string[] = [];
    const leaks = [VICTIM_MARKER, 'Victim hook', VICTIM_URL, victim.secret, HEADER_SECRET, STATIC_SECRET];
    for (const rpc of grpc.rpcs) {
      const expected = ROWS[rpc].crossTenant === 'victim' ? [status.NOT_FOUND, status.PERMISSION_DENIED] : [status.OK];
      const outcome = await call(rpc, bearer(keys.adminB));
      violations.push(...violation(rpc, "another tenant's admin key", outcome, expected));
      const seen = visible(outcome);
      for (const leak of leaks) if (seen.includes(leak)) violations.push(`${rpc}: the answer shows ${leak}`);
    }
    expect(violations).toEqual([]);
  });

  it('refuses a tenant key naming another tenant in x-tenant-id on every RPC (PERMISSION_DENIED)', async () => {
    const violations: string[] = [];
    for (const rpc of grpc.rpcs) {
      const outcome = await call(rpc, { ...bearer(keys.adminB), tenant: 'tenant-a' });
      violations.push(...violation(rpc, 'x-tenant-id: tenant-a', outcome, [status.PERMISSION_DENIED]));
    }
    expect(violations).toEqual([]);
  });

  it('left the victim unchanged: nothing a refused call tried took effect', async () => {
    const after = await must('GetWebhook', { id: victim.webhookId }, bearer(keys.adminA));
    expect(after).toMatchObject({
      name: 'Victim hook',
      url: VICTIM_URL,
      description: VICTIM_MARKER,
      status: 'ACTIVE',
      active: true,
      version: victim.version,
    });
    expect(Object.values(after.headers)).toEqual([HEADER_SECRET]);
    expect((await must('RevealWebhookSecret', { id: victim.webhookId }, bearer(keys.adminA))).secret).toBe(
      victim.secret,
    );
    const tenantKeys = (await must('ListApiKeys', { includeRevoked: true }, bearer(keys.adminA))).data as {
      id: string;
      name: string;
      revokedAt?: string;
    }[];
    expect(tenantKeys.find((k) => k.id === victim.apiKeyId)?.revokedAt).toBeUndefined();
    expect(tenantKeys.map((k) => k.name)).not.toContain('intruder');
    const catalog = (await must('ListEventTypes', { includeDeprecated: true }, bearer(keys.adminA))).data as {
      name: string;
      deprecated: boolean;
    }[];
    expect(catalog.find((t) => t.name === victim.eventType)?.deprecated).toBe(false);
    expect(catalog.map((t) => t.name)).not.toContain('intruder.created');
  });

  it('limits each tenant key (RESOURCE_EXHAUSTED with retry-after) from the budget REST shares, not the others', async () => {
    const created = await must(
      'CreateApiKey',
      { name: 'flood', scopes: ['read'], tenantId: 'tenant-a' },
      asBootstrap('tenant-a'),
    );
    const flood = bearer(created.key);
    const floodStart = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: RATE.burst + 30 }, () => grpc.call('ListWebhooks', {}, flood)),
    );
    const refused = outcomes.filter((o): o is { ok: false; error: ServiceError } => !o.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((o) => codeName(o.error.code))).toEqual(refused.map(() => 'RESOURCE_EXHAUSTED'));
    expect(refused[0].error.details).toMatch(
      new RegExp(
        `^Too many requests with this API key \\(at most ${RATE.perSecond} per second, bursts of ${RATE.burst}\\); retry after \\d+ s$`,
      ),
    );
    const retryAfter = Number(refused[0].error.metadata.get('retry-after')[0]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);

    // One budget per key and process: REST, served by the same process, is refused as well. The
    // bucket refills while a busy machine serves the flood, so send more than it can have refilled.
    const refillBound = Math.ceil(((Date.now() - floodStart) / 1000) * RATE.perSecond);
    const rest = await Promise.all(
      Array.from({ length: refillBound + 10 }, () =>
        fetch(`${stack.services['subscription-api'].url}/v1/webhooks`, { headers: flood }),
      ),
    );
    const limited = rest.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Other keys, and the operator's bootstrap key (never limited), are not held back by it.
    expect((await grpc.call('ListWebhooks', {}, bearer(keys.adminA))).ok).toBe(true);
    const operator = await Promise.all(
      Array.from({ length: RATE.burst + 10 }, () => grpc.call('ListWebhooks', {}, asBootstrap('tenant-a'))),
    );
    expect(operator.filter((o) => !o.ok)).toEqual([]);

    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await grpc.call('ListWebhooks', {}, flood)).ok).toBe(true);
  });
});
