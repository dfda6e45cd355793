import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { heraldHome } from './paths';
import { defaultLogDir, startInfra, startStack } from './stack';

const envInt = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

/** A stable local admin key: HERALD_ADMIN_API_KEY, or one generated once into .herald/admin-api-key. */
function localAdminKey(home: string): string {
  if (process.env.HERALD_ADMIN_API_KEY) return process.env.HERALD_ADMIN_API_KEY;
  const file = resolve(home, 'admin-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `hk_local_${randomBytes(18).toString('base64url')}`;
  mkdirSync(home, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function example(base: string, key: string): string {
  return `
  Herald is running.

    API (gateway)   ${base}
    Admin API key   ${key}
    Admin portal    ${base}/admin
    Logs            ${defaultLogDir(heraldHome())}

  Try it (paste into another terminal):

    KEY=${key}
    # 1. a receiver that prints what it gets
    node -e "require('http').createServer((q,s)=>{let b='';q.on('data',d=>b+=d);q.on('end',()=>{console.log(q.headers['webhook-signature'],b);s.end('ok')})}).listen(4000,'127.0.0.1')" &
    # 2. a webhook for it
    WH=$(curl -s -X POST ${base}/v1/webhooks -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
      -d '{"name":"Local receiver","url":"http://127.0.0.1:4000/hook","events":["agent.*"]}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
    # 3. an event
    curl -s -X POST ${base}/v1/events -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
      -d '{"eventType":"agent.created","tenantId":"default","data":{"agentName":"Support bot"}}'
    # 4. the delivery attempt, as recorded
    sleep 2; curl -s "${base}/v1/attempts?webhookId=$WH" -H "Authorization: Bearer $KEY"

  Ctrl-C stops everything.
`;
}

async function up(): Promise<void> {
  const started = Date.now();
  const home = heraldHome();
  const infra = await startInfra({
    home,
    kafkaPort: envInt('KAFKA_PORT', 9092),
    kafkaControllerPort: envInt('KAFKA_CONTROLLER_PORT', 9093),
    postgresPort: envInt('POSTGRES_PORT', 54329),
  });
  const adminApiKey = localAdminKey(home);
  let stack;
  try {
    stack = await startStack({
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      adminApiKey,
      logDir: defaultLogDir(home),
      ports: {
        gateway: envInt('HERALD_GATEWAY_PORT', 8080),
        'subscription-api': 3000,
        'event-ingest': 3001,
        matcher: 3002,
        deliverer: 3003,
        'audit-log': 3004,
      },
      // The example's receiver is on loopback; a local stack allows it.
      env: {
        '*': { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
        'subscription-api': {
          WEBHOOK_URL_ALLOWED_CIDRS: process.env.WEBHOOK_URL_ALLOWED_CIDRS ?? '127.0.0.0/8,::1/128',
        },
        deliverer: { DELIVERY_ALLOWED_CIDRS: process.env.DELIVERY_ALLOWED_CIDRS ?? '127.0.0.0/8,::1/128' },
      },
    });
  } catch (error) {
    await infra.stop();
    throw error;
  }
  process.stdout.write(example(stack.gatewayUrl, adminApiKey));
  process.stdout.write(`  Started in ${((Date.now() - started) / 1000).toFixed(1)} s.\n\n`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping services, Kafka and PostgreSQL...\n`);
    await stack.stop();
    await infra.stop();
    process.stdout.write('Stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

const command = process.argv[2] ?? 'up';
if (command === 'up') {
  up().catch((error) => {
    process.stderr.write(`npm start failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`unknown command ${command}; use "up"\n`);
  process.exit(2);
}
