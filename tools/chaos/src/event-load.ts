import { Kafka, logLevel } from 'kafkajs';
import { ChosenPartitions, CoalescingProducer, type ProducerLike } from '@herald/kafka';

export interface PublishedEvent {
  eventId: string;
  eventType: string;
  tenantId: string;
  via: 'kafka' | 'http';
  /** When its send started (ms since the epoch): the start of its delivery latency. */
  sentAt: number;
  /** Set on the ordered share: its key and its place among that (tenant, key)'s events. */
  orderingKey?: string;
  keySeq?: number;
}

export interface LoadTenant {
  tenantId: string;
  /** The tenant API key the HTTP share is published with (event-ingest knows tenant keys from webhooks.api-keys). */
  apiKey: string;
}

export interface EventLoadOptions {
  brokers: string;
  ingestTopic: string;
  gatewayUrl: string;
  /** Each event goes to one of these, at random (several tenants spread the work over partitions). */
  tenants: LoadTenant[];
  eventTypes: readonly string[];
  eventsPerSecond: number;
  /** Share of events sent over `POST /v1/events` rather than the ingest topic. */
  httpShare: number;
  /** Share of events given one of `orderingKeys` keys (sent over Kafka, in order). */
  orderedShare?: number;
  orderingKeys?: number;
  random: () => number;
}

/**
 * An event counts as published only once Kafka (or the API's 202) acknowledged it; a failed send may or may
 * not have landed, so it is kept apart and never expected. Kafka events go in batches, one in flight at a time
 * (a send per event would cap the rate at the producer's round trips).
 */
export class EventLoad {
  readonly published = new Map<string, PublishedEvent>();
  readonly failedSends = new Map<string, PublishedEvent>();
  private producer: ProducerLike;
  private readonly kafka: Kafka;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private sequence = 0;
  private credit = 0;
  private readonly pending = new Set<Promise<void>>();
  /** Per (tenant, ordering key): the next keySeq. */
  private readonly keys = new Map<string, number>();
  /** Kafka events waiting for the next batch; one batch is in flight at a time, so batches keep send order. */
  private queue: PublishedEvent[] = [];
  private sending: Promise<void> | null = null;
  /** Sends still waiting for an answer beyond this are not started: the load waits out an outage. */
  private readonly maxInFlight: number;

  constructor(private readonly options: EventLoadOptions) {
    this.kafka = new Kafka({
      clientId: 'herald-chaos-load',
      brokers: options.brokers.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.producer = this.newProducer();
    this.maxInFlight = Math.max(50, Math.ceil(options.eventsPerSecond * 5));
  }

  // kafkajs can resolve a multi-broker send without the partitions whose leader moved mid-send
  // (see ChosenPartitions): unchecked, the load counted events as published that never were.
  private newProducer(): ProducerLike {
    const chosen = new ChosenPartitions();
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: chosen.createPartitioner,
    });
    return new CoalescingProducer(producer, undefined, undefined, undefined, undefined, { chosen });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.timer = setInterval(() => this.tick(), 100);
  }

  /** Stops sending and waits for the sends still in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.sending) await this.sending;
    await Promise.allSettled([...this.pending]);
    await this.producer.disconnect().catch(() => undefined);
  }

  get attempted(): number {
    return this.sequence;
  }

  private tick(): void {
    this.credit += this.options.eventsPerSecond / 10;
    while (this.credit >= 1 && this.inFlight < this.maxInFlight) {
      this.credit -= 1;
      const { eventTypes, random, httpShare, tenants } = this.options;
      const event: PublishedEvent = {
        eventId: `evt_chaos_${Date.now().toString(36)}_${(this.sequence++).toString(36)}`,
        eventType: eventTypes[Math.floor(random() * eventTypes.length)],
        tenantId: tenants[Math.floor(random() * tenants.length)].tenantId,
        via: random() < httpShare ? 'http' : 'kafka',
        sentAt: 0,
      };
      const keys = this.options.orderingKeys ?? 0;
      this.inFlight++;
      if (keys > 0 && random() < (this.options.orderedShare ?? 0)) {
        // Keyed events all go through the batches: one pipeline, so publish order is send order.
        event.via = 'kafka';
        event.orderingKey = `chaos-key-${Math.floor(random() * keys)}`;
        const id = `${event.tenantId}|${event.orderingKey}`;
        event.keySeq = this.keys.get(id) ?? 0;
        this.keys.set(id, event.keySeq + 1);
      }
      if (event.via === 'http') {
        this.track(
          this.sendHttp(event).then(
            () => this.settle([event], true),
            () => this.settle([event], false),
          ),
        );
      } else {
        this.queue.push(event);
      }
    }
    this.pump();
    // Credit does not pile up during an outage: the load resumes at its rate, not in a burst.
    this.credit = Math.min(this.credit, 1);
  }

  /**
   * Sends what is queued as one batch, then the next: a tenant's events share a partition, so their order
   * in and across batches is publish order. A failed batch gets a new producer (kafkajs's idempotent one can
   * stay stuck on OUT_OF_ORDER_SEQUENCE_NUMBER after a broker failover).
   */
  private pump(): void {
    if (this.sending || this.queue.length === 0) return;
    const batch = this.queue.splice(0, 1000);
    this.sending = this.sendKafka(batch)
      .then(() => this.settle(batch, true))
      .catch(async () => {
        this.settle(batch, false);
        const broken = this.producer;
        this.producer = this.newProducer();
        await broken.disconnect().catch(() => undefined);
        await this.producer.connect().catch(() => undefined);
      })
      .finally(() => {
        this.sending = null;
        this.pump();
      });
  }

  private settle(events: PublishedEvent[], ok: boolean): void {
    for (const event of events) (ok ? this.published : this.failedSends).set(event.eventId, event);
    this.inFlight -= events.length;
  }

  private track(sent: Promise<void>): void {
    const done = sent.finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private body(event: PublishedEvent): string {
    return JSON.stringify({
      eventId: event.eventId,
      eventType: event.eventType,
      tenantId: event.tenantId,
      data: {
        sequence: this.sequence,
        note: 'chaos',
        ...(event.orderingKey ? { orderingKey: event.orderingKey, keySeq: event.keySeq } : {}),
      },
      ...(event.orderingKey ? { orderingKey: event.orderingKey } : {}),
    });
  }

  private async sendKafka(events: PublishedEvent[]): Promise<void> {
    const sentAt = Date.now();
    for (const event of events) event.sentAt = sentAt;
    await this.producer.send({
      topic: this.options.ingestTopic,
      acks: -1,
      messages: events.map((event) => ({ key: event.tenantId, value: this.body(event) })),
    });
  }

  private async sendHttp(event: PublishedEvent): Promise<void> {
    const tenant = this.options.tenants.find((t) => t.tenantId === event.tenantId)!;
    event.sentAt = Date.now();
    const response = await fetch(`${this.options.gatewayUrl}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.apiKey}`,
        'x-tenant-id': event.tenantId,
        'content-type': 'application/json',
      },
      body: this.body(event),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}`);
  }
}
