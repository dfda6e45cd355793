import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How a flapping receiver misbehaves; `ok` answers 200 at once. */
export type ReceiverMode = 'ok' | 'error500' | 'reset' | 'hang' | 'slowBody';

export const FLAP_MODES: ReceiverMode[] = ['error500', 'reset', 'hang', 'slowBody'];

/** Longer than the deliverer's 5 s budget, so a hang or a slow body is a failed attempt. */
const PAST_BUDGET_MS = 7000;

/**
 * Every (eventId, webhookId) a receiver answered 2xx, counted. A request that was answered
 * any other way (500, reset, hang, body slower than the budget) is not a delivery.
 */
export class DeliveryLedger {
  /** `${eventId} ${webhookId}` → number of 2xx answers. */
  readonly confirmed = new Map<string, number>();
  /** When each pair's first 2xx came (ms since the epoch): the end of its delivery latency. */
  readonly firstAt = new Map<string, number>();
  /** When each 2xx beyond a pair's first came: duplicates attributed to faults by time. */
  readonly duplicateAt: number[] = [];
  requests = 0;
  refused = 0;

  /** First 2xx of each keyed delivery, in the order they came: the per-key order check's input. */
  readonly firstKeyed: { eventId: string; webhookId: string; orderingKey: string; keySeq: number }[] = [];

  confirm(eventId: string, webhookId: string, keyed?: { orderingKey: string; keySeq: number }, at = Date.now()): void {
    const key = `${eventId} ${webhookId}`;
    const count = this.confirmed.get(key) ?? 0;
    if (count === 0 && keyed) this.firstKeyed.push({ eventId, webhookId, ...keyed });
    if (count === 0) this.firstAt.set(key, at);
    else this.duplicateAt.push(at);
    this.confirmed.set(key, count + 1);
  }

  has(eventId: string, webhookId: string): boolean {
    return this.confirmed.has(`${eventId} ${webhookId}`);
  }

  /** 2xx answers beyond the first per pair. */
  get duplicates(): number {
    let extra = 0;
    for (const count of this.confirmed.values()) extra += count - 1;
    return extra;
  }
}

/**
 * One loopback receiver serving several webhooks (`/hook/<webhookId>`), writing to a shared
 * ledger; its mode can be switched while the run goes on.
 */
export class LedgerReceiver {
  mode: ReceiverMode = 'ok';
  /** Requests answered in each mode: proof that every kind of misbehaviour met real deliveries. */
  readonly requestsByMode: Record<ReceiverMode, number> = { ok: 0, error500: 0, reset: 0, hang: 0, slowBody: 0 };
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly ledger: DeliveryLedger) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.ledger.requests++;
      const webhookId = decodeURIComponent((req.url ?? '').replace(/^\/hook\//, ''));
      let eventId = '';
      let keyed: { orderingKey: string; keySeq: number } | undefined;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          eventId?: unknown;
          data?: { orderingKey?: unknown; keySeq?: unknown };
        };
        eventId = String(body.eventId ?? '');
        const { orderingKey, keySeq } = body.data ?? {};
        if (typeof orderingKey === 'string' && typeof keySeq === 'number') keyed = { orderingKey, keySeq };
      } catch {
        /* not JSON: refused below */
      }
      const mode = this.mode;
      if (!eventId || !webhookId) {
        this.ledger.refused++;
        res.writeHead(400).end();
        return;
      }
      this.requestsByMode[mode]++;
      switch (mode) {
        case 'ok':
          this.ledger.confirm(eventId, webhookId, keyed);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          return;
        case 'error500':
          this.ledger.refused++;
          res.writeHead(500).end('flapping');
          return;
        case 'reset':
          this.ledger.refused++;
          req.socket.destroy();
          return;
        case 'hang':
          this.ledger.refused++;
          this.later(PAST_BUDGET_MS, () => res.destroy());
          return;
        case 'slowBody': {
          // Headers at once, then the body a few bytes at a time past the budget.
          this.ledger.refused++;
          res.writeHead(200, { 'content-type': 'text/plain' });
          let sent = 0;
          const drip = () => {
            if (res.destroyed) return;
            res.write('.');
            if (++sent * 700 >= PAST_BUDGET_MS) res.end();
            else this.later(700, drip);
          };
          drip();
          return;
        }
      }
    });
  }
}
