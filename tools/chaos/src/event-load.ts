import { Kafka, logLevel, type Producer } from 'kafkajs';

export interface PublishedEvent {
  eventId: string;
  eventType: string;
  via: 'kafka' | 'http';
  /** Set on the ordered share: its key and its place among that key's events. */
  orderingKey?: string;
  keySeq?: number;
}

export interface EventLoadOptions {
  brokers: string;
  ingestTopic: string;
  gatewayUrl: string;
  /** The tenant API key the HTTP share is published with (event-ingest knows tenant keys from webhooks.api-keys). */
  apiKey: string;
  tenantId: string;
  eventTypes: readonly string[];
  eventsPerSecond: number;
  /** Share of events sent over `POST /v1/events` rather than the ingest topic. */
  httpShare: number;
  /** Share of events given one of `orderingKeys` keys; each key's events are sent one after another. */
  orderedShare?: number;
  orderingKeys?: number;
  random: () => number;
}

/** Sends still waiting for an answer beyond this are not started: the load waits out an outage. */
const MAX_IN_FLIGHT = 50;

/**
 * An event counts as published only once Kafka (or the API's 202) acknowledged it; a failed send may or may
 * not have landed, so it is kept apart and never expected.
 */
export class EventLoad {
  readonly published = new Map<string, PublishedEvent>();
  readonly failedSends = new Map<string, PublishedEvent>();
  private producer: Producer;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private sequence = 0;
  private credit = 0;
  private readonly pending = new Set<Promise<void>>();
  /** Per ordering key: the next keySeq and the send the next one waits for. */
  private readonly keys = new Map<string, { next: number; last: Promise<void> }>();

  constructor(private readonly options: EventLoadOptions) {
    const kafka = new Kafka({
      clientId: 'herald-chaos-load',
      brokers: [options.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.timer = setInterval(() => this.tick(), 100);
  }

  /** Stops sending and waits for the sends still in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.pending]);
    await this.producer.disconnect().catch(() => undefined);
  }

  get attempted(): number {
    return this.sequence;
  }

  private tick(): void {
    this.credit += this.options.eventsPerSecond / 10;
    while (this.credit >= 1 && this.inFlight < MAX_IN_FLIGHT) {
      this.credit -= 1;
      const { eventTypes, random, httpShare } = this.options;
      const event: PublishedEvent = {
        eventId: `evt_chaos_${Date.now().toString(36)}_${(this.sequence++).toString(36)}`,
        eventType: eventTypes[Math.floor(random() * eventTypes.length)],
        via: random() < httpShare ? 'http' : 'kafka',
      };
      const keys = this.options.orderingKeys ?? 0;
      let chain: Promise<void> = Promise.resolve();
      if (keys > 0 && random() < (this.options.orderedShare ?? 0)) {
        event.orderingKey = `chaos-key-${Math.floor(random() * keys)}`;
        const key = this.keys.get(event.orderingKey) ?? { next: 0, last: Promise.resolve() };
        this.keys.set(event.orderingKey, key);
        event.keySeq = key.next++;
        chain = key.last;
      }
      this.inFlight++;
      const send = () => (event.via === 'http' ? this.sendHttp(event) : this.sendKafka(event));
      // A keyed event is sent once the previous one of its key was acknowledged (or failed): publish order.
      const attempt = chain.then(send);
      if (event.orderingKey) this.keys.get(event.orderingKey)!.last = attempt.catch(() => undefined);
      const sent = attempt
        .then(
          () => void this.published.set(event.eventId, event),
          () => void this.failedSends.set(event.eventId, event),
        )
        .finally(() => {
          this.inFlight--;
          this.pending.delete(sent);
        });
      this.pending.add(sent);
    }
    // Credit does not pile up during an outage: the load resumes at its rate, not in a burst.
    this.credit = Math.min(this.credit, 1);
  }

  private body(event: PublishedEvent): string {
    return JSON.stringify({
      eventId: event.eventId,
      eventType: event.eventType,
      tenantId: this.options.tenantId,
      data: {
        sequence: this.sequence,
        note: 'chaos',
        ...(event.orderingKey ? { orderingKey: event.orderingKey, keySeq: event.keySeq } : {}),
      },
      ...(event.orderingKey ? { orderingKey: event.orderingKey } : {}),
    });
  }

  private async sendKafka(event: PublishedEvent): Promise<void> {
    await this.producer.send({
      topic: this.options.ingestTopic,
      acks: -1,
      messages: [{ key: this.options.tenantId, value: this.body(event) }],
    });
  }

  private async sendHttp(event: PublishedEvent): Promise<void> {
    const response = await fetch(`${this.options.gatewayUrl}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        'x-tenant-id': this.options.tenantId,
        'content-type': 'application/json',
      },
      body: this.body(event),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}`);
  }
}
