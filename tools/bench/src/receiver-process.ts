import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { DeliveryLedger, type LedgerSummary } from './delivery-ledger';
import type { EndpointMode, FromReceiver, ToReceiver } from './receiver-protocol';

/**
 * One receiver process (forked by ReceiverFleet): a lean node:http server on loopback that
 * counts what arrives per phase (count + checksum), verifies one signature in `verifyEvery`
 * and reports progress to the bench over IPC every 10 ms.
 */
const verifyEvery = Number(process.argv[2] ?? 0);
const endpoints = new Map<string, { mode: EndpointMode; verifier: Webhook | null }>();
const phases = new Map<string, { ledger: DeliveryLedger; hung: number; refused: number; arrivals: boolean }>();
const hanging = new Set<ServerResponse>();
let arrivals: [string, string, number][] = [];
const dirty = new Set<string>();
let requests = 0;
const signatures = { checked: 0, bad: 0, unknown: 0 };

const now = () => performance.timeOrigin + performance.now();
const send = (message: FromReceiver) => process.send?.(message);
const phaseOf = (eventId: string) => eventId.slice(0, eventId.lastIndexOf('-'));

function phase(id: string) {
  let record = phases.get(id);
  if (!record) {
    record = { ledger: new DeliveryLedger(), hung: 0, refused: 0, arrivals: false };
    phases.set(id, record);
  }
  return record;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const key = (req.url ?? '').startsWith('/r/') ? req.url!.slice(3) : '';
  const endpoint = endpoints.get(key);
  const eventId = req.headers['webhook-id'];
  const verify = verifyEvery > 0 && ++requests % verifyEvery === 0;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => {
    if (verify) chunks.push(chunk);
  });
  req.on('end', () => {
    const arrivedAt = now();
    if (!endpoint || typeof eventId !== 'string') {
      signatures.unknown += 1;
      res.writeHead(404).end();
      return;
    }
    const phaseId = phaseOf(eventId);
    const record = phase(phaseId);
    if (endpoint.mode === 'hang') {
      record.hung += 1;
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (endpoint.mode === 'error') {
      record.refused += 1;
      res.writeHead(500, { 'content-type': 'text/plain' }).end('bench: failing on purpose');
      return;
    }
    if (verify && endpoint.verifier) {
      signatures.checked += 1;
      try {
        endpoint.verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      } catch {
        signatures.bad += 1;
      }
    }
    if (record.ledger.record(eventId, key)) {
      dirty.add(phaseId);
      if (record.arrivals) arrivals.push([eventId, key, arrivedAt]);
      reportSoon();
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
}

function summary(id: string): LedgerSummary & { hung: number; refused: number } {
  const record = phase(id);
  return { ...record.ledger.summary(), hung: record.hung, refused: record.refused };
}

const server = createServer(handle);
// Longer than any client keep-alive, so a pooled connection is never closed under a request.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

process.on('message', (message: ToReceiver) => {
  switch (message.type) {
    case 'endpoint':
      endpoints.set(message.key, { mode: message.mode, verifier: message.secret ? new Webhook(message.secret) : null });
      break;
    case 'arrivals':
      phase(message.phase).arrivals = message.on;
      break;
    case 'forget':
      phases.delete(message.phase);
      break;
    case 'summary':
      send({ type: 'reply', id: message.id, summary: summary(message.phase) });
      break;
    case 'ping':
      send({ type: 'reply', id: message.id, clock: now(), signatures });
      break;
    case 'stop':
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => process.exit(0));
      break;
  }
});

// Progress: unique pairs per phase that changed, and first arrivals of phases that want them;
// at most every 10 ms, and only after something arrived (an idle receiver stays asleep).
let progress: NodeJS.Timeout | null = null;
function reportSoon(): void {
  progress ??= setTimeout(() => {
    progress = null;
    const counts: [string, number][] = [...dirty].map((id) => [id, phase(id).ledger.unique]);
    dirty.clear();
    send({ type: 'progress', counts, arrivals });
    arrivals = [];
  }, 10);
}
// The bench gone (crashed or killed): nothing left to receive for.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
