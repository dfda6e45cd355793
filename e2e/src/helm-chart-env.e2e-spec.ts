import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ServiceProcess, freePort, heraldHome, type ServiceName } from '@herald/stack';
import { createTestDatabase, testBrokers, uniqueName } from '@herald/testing';

// The first run on a machine builds helm from source (tools/deploy/tools.mjs): minutes.
jest.setTimeout(600_000);

const root = resolve(__dirname, '../..');
const ADMIN_KEY = 'hk_chart_test_0123456789';
// The chart's own key-encryption key: the services must get it from the chart, not from the test run.
const KEKS = `chart:${Buffer.alloc(32, 7).toString('base64')}`;

interface Workload {
  component: string;
  command: string[] | null;
  env: Record<string, string>;
}

/** The chart rendered with these values, each container's environment resolved (tools/deploy/chart-env.mjs). */
function renderedEnvironments(values: unknown): Record<string, Workload> {
  const file = join(mkdtempSync(join(tmpdir(), 'herald-values-')), 'values.json');
  writeFileSync(file, JSON.stringify(values));
  const output = execFileSync(process.execPath, [resolve(root, 'tools/deploy/chart-env.mjs'), '-f', file], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output);
}

const SERVICES = ['subscription-api', 'event-ingest', 'matcher', 'deliverer', 'audit-log'];

/** Each service's image contents, made by the Dockerfile's build step (docker/build-app.mjs). */
function buildImages(dir: string): Record<string, string> {
  const images: Record<string, string> = {};
  for (const app of SERVICES) {
    const out = join(dir, app);
    // The production install is the same for every image: done once, linked for the others.
    const reuse = Object.keys(images).length > 0 ? ['--production-modules-from', images[SERVICES[0]]] : [];
    execFileSync(process.execPath, [resolve(root, 'docker/build-app.mjs'), app, out, ...reuse], {
      cwd: root,
      stdio: 'pipe',
    });
    images[app] = out;
  }
  return images;
}

describe('the services, built as their images are, with the environment the Helm chart gives them', () => {
  const prefix = `${uniqueName('chart')}.`;
  const imagesDir = mkdtempSync(join(tmpdir(), 'herald-images-'));
  let images: Record<string, string>;
  let databaseUrl: string;
  let workloads: Workload[];
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    images = buildImages(imagesDir);
    databaseUrl = await createTestDatabase();
    workloads = Object.values(
      renderedEnvironments({
        kafka: { brokers: [testBrokers()], topicPrefix: prefix, partitions: 2, createTopics: true },
        secrets: { create: true, databaseUrl, adminApiKey: ADMIN_KEY, keks: KEKS },
        config: { logLevel: 'info', shutdownTimeoutMs: 5000 },
        services: { deliverer: { replicas: 2, resources: {}, env: { DELIVERY_CONCURRENCY: '16' } } },
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    rmSync(imagesDir, { recursive: true, force: true });
  });

  it('renders one Deployment per service and the migration Job', () => {
    expect(workloads.map((w) => w.component).sort()).toEqual([
      'audit-log',
      'deliverer',
      'event-ingest',
      'matcher',
      'migrate',
      'subscription-api',
    ]);
    const deliverer = workloads.find((w) => w.component === 'deliverer')!;
    expect(deliverer.env).toMatchObject({
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '2',
      DELIVERY_CONCURRENCY: '16',
      HTTP_HOST: '0.0.0.0',
    });
    // Only the services that use them get the database URL and the admin key.
    expect(deliverer.env.DATABASE_URL).toBeUndefined();
    expect(deliverer.env.HERALD_ADMIN_API_KEY).toBeUndefined();
    // event-ingest's dedupe window comes from the chart's defaults.
    const ingest = workloads.find((w) => w.component === 'event-ingest')!;
    expect(ingest.env).toMatchObject({
      INGEST_IDEMPOTENCY_WINDOW_SECONDS: '86400',
      INGEST_IDEMPOTENCY_MAX_KEYS: '1000000',
    });
  });

  it('gives config.dnsServers to the services as DNS_SERVERS, and nothing when it is empty', () => {
    const rendered = Object.values(
      renderedEnvironments({
        kafka: { brokers: [testBrokers()] },
        secrets: { create: true, databaseUrl, adminApiKey: ADMIN_KEY, keks: KEKS },
        config: { logLevel: 'info', shutdownTimeoutMs: 5000, dnsServers: ['10.0.0.10', '[fd00::53]:53'] },
      }),
    );
    for (const component of ['subscription-api', 'deliverer']) {
      expect(rendered.find((w) => w.component === component)!.env.DNS_SERVERS).toBe('10.0.0.10,[fd00::53]:53');
    }
    expect(workloads.find((w) => w.component === 'deliverer')!.env.DNS_SERVERS).toBeUndefined();
  });

  it('the migration Job, run with its own environment, migrates once and then finds nothing to do', async () => {
    const job = workloads.find((w) => w.component === 'migrate')!;
    const [node, ...args] = job.command!;
    expect(node).toBe('node');
    // The Job runs the subscription-api image; its working directory is the image's /app.
    const run = () =>
      spawnSync(process.execPath, args, {
        cwd: images['subscription-api'],
        env: { PATH: process.env.PATH, ...job.env },
        encoding: 'utf8',
        timeout: 60_000,
      });

    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\)/);
    expect(run().stdout).toContain('schema is up to date');

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'herald_migrations'",
    );
    await client.end();
    expect(rows[0].n).toBe(1);
  });

  it('every service becomes ready on the local Kafka and PostgreSQL, serves the API, and stops cleanly', async () => {
    for (const workload of workloads.filter((w) => w.component !== 'migrate')) {
      // Only the listening addresses are replaced (PORT and HTTP_HOST by ServiceProcess, and
      // subscription-api's gRPC ones here): tests listen on free loopback ports.
      const listen: Record<string, string> = workload.env.GRPC_PORT
        ? { GRPC_HOST: '127.0.0.1', GRPC_PORT: String(await freePort()) }
        : {};
      const service = new ServiceProcess({
        name: workload.component as ServiceName,
        script: join(images[workload.component], 'main.js'),
        port: await freePort(),
        env: { ...workload.env, ...listen },
        logDir: resolve(heraldHome('test'), 'logs', prefix.slice(0, -1)),
        readyTimeoutMs: 120_000,
      });
      services.push(service);
      await service.start();
    }
    for (const service of services) {
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
    }

    const api = services.find((s) => s.options.name === 'subscription-api')!;
    const list = await fetch(`${api.url}/v1/webhooks`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(list.status).toBe(200);
    const refused = await fetch(`${api.url}/v1/webhooks`, {
      headers: { authorization: 'Bearer not-the-chart-key-000' },
    });
    expect(refused.status).toBe(401);
    // The portal's files are part of the subscription-api image.
    const portal = await fetch(`${api.url}/admin/`);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain('<html');

    const codes = await Promise.all(services.map((s) => s.stop()));
    expect(codes).toEqual(services.map(() => 0));
  });
});
