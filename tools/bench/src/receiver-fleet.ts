import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { DeliveryLedger } from './delivery-ledger';

/** How an endpoint answers: 200, never (the sender's timeout ends it), or 500. */
export type EndpointMode = 'ok' | 'hang' | 'error';

export interface BenchEndpoint {
  /** Path segment and ledger name: `/r/<key>`. */
  key: string;
  mode: EndpointMode;
  /** Signing secret, once the webhook exists; needed for signature sampling. */
  secret?: string;
}

/** Everything one phase's endpoints received, keyed by the event id prefix of the phase. */
export class PhaseRecord {
  readonly ledger = new DeliveryLedger();
  /** Answered with 500 or left hanging (not deliveries). */
  refused = 0;
  hung = 0;
  onFirstArrival: ((eventId: string, endpointKey: string, arrivedAt: number) => void) | null = null;
}

export interface FleetOptions {
  servers: number;
  /** Verify the Standard Webhooks signature of one request in this many (0: never). */
  verifyEvery: number;
}

/** `p<phase>-<seq>`: the phase an event belongs to is read from its id, so late arrivals count where they belong. */
export const eventIdFor = (phase: string, seq: number) => `${phase}-${seq}`;
const phaseOf = (eventId: string) => eventId.slice(0, eventId.lastIndexOf('-'));

/**
 * Webhook receivers on loopback: several HTTP servers (own ports), one path per endpoint. Each
 * 200 is written to the phase's ledger; a sample of requests has its signature verified with
 * the `standardwebhooks` package, independently of Herald's signer.
 */
export class ReceiverFleet {
  private readonly servers: Server[] = [];
  private readonly endpoints = new Map<string, BenchEndpoint>();
  private readonly verifiers = new Map<string, Webhook>();
  private readonly phases = new Map<string, PhaseRecord>();
  private readonly hanging = new Set<ServerResponse>();
  private requests = 0;
  signaturesChecked = 0;
  signaturesBad = 0;
  unknown = 0;

  constructor(private readonly options: FleetOptions) {}

  async start(): Promise<void> {
    for (let i = 0; i < this.options.servers; i++) {
      const server = createServer((req, res) => this.handle(req, res));
      // Longer than any client keep-alive, so a pooled connection is never closed under a request.
      server.keepAliveTimeout = 60_000;
      server.headersTimeout = 65_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.push(server);
    }
  }

  /** The URL of an endpoint; endpoints are spread over the servers round-robin. */
  add(endpoint: BenchEndpoint): string {
    const index = this.endpoints.size % this.servers.length;
    this.endpoints.set(endpoint.key, endpoint);
    const address = this.servers[index].address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${port}/r/${endpoint.key}`;
  }

  setSecret(key: string, secret: string): void {
    const endpoint = this.endpoints.get(key);
    if (!endpoint) throw new Error(`unknown endpoint ${key}`);
    endpoint.secret = secret;
    this.verifiers.set(key, new Webhook(secret));
  }

  phase(id: string): PhaseRecord {
    let record = this.phases.get(id);
    if (!record) {
      record = new PhaseRecord();
      this.phases.set(id, record);
    }
    return record;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const key = (req.url ?? '').startsWith('/r/') ? req.url!.slice(3) : '';
    const endpoint = this.endpoints.get(key);
    const eventId = req.headers['webhook-id'];
    const verify = this.options.verifyEvery > 0 && ++this.requests % this.options.verifyEvery === 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (verify) chunks.push(chunk);
    });
    req.on('end', () => {
      const arrivedAt = performance.now();
      if (!endpoint || typeof eventId !== 'string') {
        this.unknown += 1;
        res.writeHead(404).end();
        return;
      }
      const phase = this.phase(phaseOf(eventId));
      if (endpoint.mode === 'hang') {
        phase.hung += 1;
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (endpoint.mode === 'error') {
        phase.refused += 1;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('bench: failing on purpose');
        return;
      }
      if (verify) this.verify(key, Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      if (phase.ledger.record(eventId, key)) phase.onFirstArrival?.(eventId, key, arrivedAt);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  }

  private verify(key: string, body: string, headers: Record<string, string>): void {
    const verifier = this.verifiers.get(key);
    if (!verifier) return;
    this.signaturesChecked += 1;
    try {
      verifier.verify(body, headers);
    } catch {
      this.signaturesBad += 1;
    }
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await Promise.all(
      this.servers.map((server) => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  }
}
