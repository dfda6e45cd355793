import { fork, type ChildProcess } from 'node:child_process';
import { childScript } from './child-script';
import type { EndpointMode, FromReceiver, PhaseSummary, SignatureStats, ToReceiver } from './receiver-protocol';

export type { EndpointMode } from './receiver-protocol';

export interface BenchEndpoint {
  /** Path segment and ledger name: `/r/<key>`. */
  key: string;
  mode: EndpointMode;
}

export interface FleetOptions {
  /** Receiver processes, one HTTP server each. */
  servers: number;
  /** Verify the Standard Webhooks signature of one request in this many (0: never). */
  verifyEvery: number;
}

/** `p<phase>-<seq>`: the phase an event belongs to is read from its id, so late arrivals count where they belong. */
export const eventIdFor = (phase: string, seq: number) => `${phase}-${seq}`;

/** One receiver process as the bench sees it. */
interface Receiver {
  child: ChildProcess;
  port: number;
  /** Its clock minus the bench's (epoch ms), measured by round trips at start. */
  clockOffsetMs: number;
  /** Unique pairs per phase, as last reported. */
  counts: Map<string, number>;
}

/** What one phase's endpoints received, summed over the receiver processes. */
export class PhaseView {
  /** First arrival of each (event, endpoint) pair, on the bench's clock (epoch ms); only while set. */
  onFirstArrival: ((eventId: string, endpointKey: string, arrivedAtMs: number) => void) | null = null;

  constructor(
    private readonly fleet: ReceiverFleet,
    readonly id: string,
  ) {}

  /** Distinct pairs received so far (up to ~10 ms behind the receivers). */
  get unique(): number {
    return this.fleet.uniqueOf(this.id);
  }

  /** Exact totals from every receiver: count, checksum, duplicates, hung and refused requests. */
  summary(): Promise<PhaseSummary> {
    return this.fleet.summaryOf(this.id);
  }
}

/**
 * Webhook receivers on loopback in their own processes (receiver-process.ts), so that neither
 * their CPU nor their event loop is the bench's or Herald's. Each endpoint lives on one process
 * (its port), so a redelivered pair is always seen, and deduplicated, by the same ledger.
 */
export class ReceiverFleet {
  private readonly receivers: Receiver[] = [];
  private readonly endpoints = new Map<string, { mode: EndpointMode; receiver: Receiver }>();
  private readonly views = new Map<string, PhaseView>();
  private readonly replies = new Map<
    number,
    { resolve: (message: Extract<FromReceiver, { type: 'reply' }>) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  private stopping = false;
  /** Set when a receiver died during the run: every later question fails with it. */
  private failure: Error | null = null;

  constructor(private readonly options: FleetOptions) {}

  async start(): Promise<void> {
    const script = childScript('receiver-process');
    await Promise.all(Array.from({ length: this.options.servers }, () => this.startOne(script)));
    for (const receiver of this.receivers) receiver.clockOffsetMs = await this.clockOffset(receiver);
  }

  private async startOne(script: string): Promise<void> {
    const child = fork(script, [String(this.options.verifyEvery)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`receiver process exited with ${code} before listening`)));
      child.once('message', (message: FromReceiver) => {
        if (message.type === 'ready') resolve(message.port);
      });
    });
    const receiver: Receiver = { child, port, clockOffsetMs: 0, counts: new Map() };
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      this.failure = new Error(`a receiver process (port ${port}) exited during the run (${signal ?? `code ${code}`})`);
      for (const pending of this.replies.values()) pending.reject(this.failure);
      this.replies.clear();
    });
    child.on('message', (message: FromReceiver) => this.onMessage(receiver, message));
    this.receivers.push(receiver);
  }

  private onMessage(receiver: Receiver, message: FromReceiver): void {
    if (message.type === 'reply') {
      this.replies.get(message.id)?.resolve(message);
      this.replies.delete(message.id);
    } else if (message.type === 'progress') {
      for (const [phase, unique] of message.counts) receiver.counts.set(phase, unique);
      for (const [eventId, key, at] of message.arrivals) {
        const phase = eventId.slice(0, eventId.lastIndexOf('-'));
        this.views.get(phase)?.onFirstArrival?.(eventId, key, at - receiver.clockOffsetMs);
      }
    }
  }

  private ask(
    receiver: Receiver,
    message: { type: 'summary'; phase: string } | { type: 'ping' },
  ): Promise<Extract<FromReceiver, { type: 'reply' }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.replies.set(id, { resolve, reject });
      this.send(receiver, { ...message, id } as ToReceiver);
    });
  }

  private send(receiver: Receiver, message: ToReceiver): void {
    receiver.child.send(message);
  }

  /** The receiver's clock minus ours, from the round trip with the shortest time (NTP's idea). */
  private async clockOffset(receiver: Receiver): Promise<number> {
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < 7; i++) {
      const sent = performance.timeOrigin + performance.now();
      const reply = await this.ask(receiver, { type: 'ping' });
      const back = performance.timeOrigin + performance.now();
      if (back - sent < best.rtt) best = { rtt: back - sent, offset: reply.clock! - (sent + back) / 2 };
    }
    return best.offset;
  }

  /** Process ids of the receivers (for their CPU). */
  get pids(): number[] {
    return this.receivers.map((r) => r.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** The URL of an endpoint; endpoints are spread over the receiver processes round-robin. */
  add(endpoint: BenchEndpoint): string {
    const receiver = this.receivers[this.endpoints.size % this.receivers.length];
    this.endpoints.set(endpoint.key, { mode: endpoint.mode, receiver });
    this.send(receiver, { type: 'endpoint', key: endpoint.key, mode: endpoint.mode, secret: null });
    return `http://127.0.0.1:${receiver.port}/r/${endpoint.key}`;
  }

  setSecret(key: string, secret: string): void {
    const endpoint = this.endpoints.get(key);
    if (!endpoint) throw new Error(`unknown endpoint ${key}`);
    this.send(endpoint.receiver, { type: 'endpoint', key, mode: endpoint.mode, secret });
  }

  /** Resolves once every receiver has applied everything sent to it so far. */
  async flush(): Promise<void> {
    await Promise.all(this.receivers.map((r) => this.ask(r, { type: 'ping' })));
  }

  phase(id: string): PhaseView {
    let view = this.views.get(id);
    if (!view) {
      view = new PhaseView(this, id);
      this.views.set(id, view);
    }
    return view;
  }

  /** Asks the receivers to report each first arrival of a phase (latency phases) or to stop. */
  async trackArrivals(id: string, on: boolean): Promise<void> {
    for (const r of this.receivers) this.send(r, { type: 'arrivals', phase: id, on });
    await this.flush();
  }

  /** Drops a finished phase's ledgers (late arrivals then start a new, ignored one). */
  forget(id: string): void {
    for (const r of this.receivers) {
      this.send(r, { type: 'forget', phase: id });
      r.counts.delete(id);
    }
    this.views.delete(id);
  }

  uniqueOf(id: string): number {
    let sum = 0;
    for (const r of this.receivers) sum += r.counts.get(id) ?? 0;
    return sum;
  }

  async summaryOf(id: string): Promise<PhaseSummary> {
    const parts = await Promise.all(this.receivers.map((r) => this.ask(r, { type: 'summary', phase: id })));
    const total: PhaseSummary = { unique: 0, received: 0, duplicates: 0, checksum: 0, hung: 0, refused: 0 };
    for (const { summary } of parts) {
      for (const field of ['unique', 'received', 'duplicates', 'hung', 'refused'] as const)
        total[field] += summary![field];
      // Endpoints are disjoint across receivers, so their pair checksums add up (mod 2^32).
      total.checksum = (total.checksum + summary!.checksum) >>> 0;
    }
    return total;
  }

  async signatures(): Promise<SignatureStats> {
    const parts = await Promise.all(this.receivers.map((r) => this.ask(r, { type: 'ping' })));
    const total: SignatureStats = { checked: 0, bad: 0, unknown: 0 };
    for (const { signatures } of parts) {
      total.checked += signatures!.checked;
      total.bad += signatures!.bad;
      total.unknown += signatures!.unknown;
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.receivers.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve();
            // A receiver that does not close within 5 s is killed.
            const kill = setTimeout(() => r.child.kill('SIGKILL'), 5000);
            r.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            if (r.child.connected) r.child.send({ type: 'stop' } satisfies ToReceiver);
            else r.child.kill();
          }),
      ),
    );
    this.receivers.length = 0;
  }
}
