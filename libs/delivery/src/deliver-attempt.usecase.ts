import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import {
  newId,
  webhookPayloadFor,
  type AttemptRecord,
  type DeadLetteredDelivery,
  type DeliveryTask,
  type DisableWebhookRequest,
  type Notification,
  type TopicNames,
} from '@herald/contracts';
import type { OutgoingMessage, Settling } from '@herald/kafka';
import { signWebhookRequest } from '@herald/signing';
import type { WebhookDirectory, WebhookEntry } from './webhook-directory';
import type { WebhookGate } from './webhook-gate';
import type { HttpSender, SendResult } from './http-sender';
import { retryTierFor, type RetrySchedule } from './retry-schedule';

/** Kafka header with a retry's due time (epoch ms), read without parsing the value. */
export const NOT_BEFORE_HEADER = 'herald-not-before';

export interface DeliveryMetrics {
  attempt(outcome: string, durationSeconds: number): void;
  delivered(lagSeconds: number): void;
  retryScheduled(): void;
  deadLettered(): void;
  deferred(reason: string): void;
}

export interface DeliverAttemptDeps {
  directory: WebhookDirectory;
  gate: WebhookGate;
  sender: HttpSender;
  schedule: RetrySchedule;
  /** A webhook failing without a success for this long is disabled (ms). */
  autoDisableAfterMs: number;
  /** Waits until the directory has every subscription change published so far. */
  catchUp: () => Promise<void>;
  /** Sends to several topics at once; resolves when Kafka has every message. */
  publish: (batch: { topic: string; messages: OutgoingMessage[] }[]) => Promise<void>;
  topics: TopicNames;
  metrics: DeliveryMetrics;
}

const REDACTED = '[redacted]';
/** A retry due this close is made now rather than parked. */
const DUE_TOLERANCE_MS = 50;

type Batch = { topic: string; messages: OutgoingMessage[] }[];

/**
 * One step of one delivery: find the webhook, ask its gate (breaker, concurrency, rate), sign,
 * POST, record the attempt, and decide what follows — a retry parked in a delay tier, a dead
 * letter with a notification, or a request to disable the webhook. Everything a step produces
 * is published together; the step resolves when its HTTP exchange ends (freeing the slot) and
 * `settled` once Kafka has it all, so the consumer commits only finished work.
 */
export class DeliverAttemptUseCase {
  /** Webhook versions for which a disable was already requested (one request per version). */
  private readonly disableRequested = new Map<string, number>();

  constructor(private readonly deps: DeliverAttemptDeps) {}

  async execute(task: DeliveryTask, headers: IHeaders = {}): Promise<Settling> {
    const now = Date.now();
    if (task.notBefore > now + DUE_TOLERANCE_MS) return this.publish([this.park(task, task.notBefore, headers)]);
    const { directory } = this.deps;
    let webhook = directory.get(task.webhookId);
    if (!webhook) {
      // A webhook created moments ago may not have reached this process's view yet.
      await this.deps.catchUp();
      webhook = directory.get(task.webhookId);
    }
    const traceparent = headers.traceparent?.toString();
    const kafkaHeaders: IHeaders = traceparent ? { traceparent } : {};

    if (!webhook || webhook.snapshot.status !== 'ACTIVE') {
      const reason = !webhook ? 'webhook was deleted' : `webhook is ${webhook.snapshot.status}`;
      const record = this.record(task, new Date(now), webhook?.snapshot.url ?? '', {}, notSent(`not sent: ${reason}`));
      return this.publish([{ topic: this.deps.topics.attempts, messages: [attemptMessage(record, kafkaHeaders)] }]);
    }

    const decision = this.deps.gate.tryAcquire(task.webhookId, webhook.snapshot);
    if (!decision.admitted) {
      // Not an attempt: the delivery comes back when the webhook can take it.
      this.deps.metrics.deferred(decision.reason);
      return this.publish([this.park(task, decision.retryAt + Math.floor(Math.random() * 100), headers)]);
    }

    const body = JSON.stringify(webhookPayloadFor(task.event));
    const startedAt = new Date();
    const requestHeaders: Record<string, string> = {
      ...webhook.snapshot.headers,
      ...signWebhookRequest(directory.signingAt(webhook, startedAt.getTime()), task.eventId, startedAt, body),
      ...(traceparent ? { traceparent } : {}),
    };
    let result: SendResult;
    try {
      result = await this.deps.sender.post(webhook.snapshot.url, requestHeaders, body);
    } catch (error) {
      decision.release(null);
      throw error;
    }
    decision.release(result.outcome === 'blocked' ? null : result.outcome === 'success', result.outcome === 'timeout');
    this.deps.metrics.attempt(result.outcome, result.durationMs / 1000);

    const recorded: Record<string, string> = {};
    for (const [name, value] of Object.entries(requestHeaders)) {
      recorded[name] = webhook.redactedHeaderNames.has(name.toLowerCase()) ? REDACTED : value;
    }
    const record = this.record(task, startedAt, webhook.snapshot.url, recorded, result);
    const batch: Batch = [{ topic: this.deps.topics.attempts, messages: [attemptMessage(record, kafkaHeaders)] }];

    if (result.outcome === 'success') {
      this.deps.metrics.delivered((Date.now() - Date.parse(task.event.occurredAt)) / 1000);
    } else if (result.outcome === 'gone') {
      batch.push(...this.disable(webhook, 'the receiver answered 410 Gone'));
    } else {
      const firstAttemptAt = task.firstAttemptAt ?? startedAt.toISOString();
      const delay =
        result.outcome === 'blocked'
          ? null
          : this.deps.schedule.delayAfter(task.attempt, webhook.snapshot.retrySchedule, result.retryAfterMs);
      if (delay === null) {
        record.deadLettered = true;
        batch.push(...this.deadLetter(webhook, task, record));
      } else {
        const next: DeliveryTask = {
          ...task,
          attempt: task.attempt + 1,
          notBefore: Math.round(startedAt.getTime() + result.durationMs + delay),
          trigger: 'retry',
          firstAttemptAt,
        };
        record.nextAttemptAt = new Date(next.notBefore).toISOString();
        batch.push(this.park(next, next.notBefore, headers));
        this.deps.metrics.retryScheduled();
      }
      if (result.outcome !== 'blocked') batch.push(...this.disableIfFailingTooLong(webhook, Date.parse(firstAttemptAt)));
    }
    return this.publish(batch);
  }

  private publish(batch: Batch): Settling {
    return { settled: this.deps.publish(batch) };
  }

  /** The message that parks a task in the delay tier matching how long it has to wait. */
  park(task: DeliveryTask, dueAt: number, headers: IHeaders): { topic: string; messages: OutgoingMessage[] } {
    const tier = retryTierFor(dueAt - Date.now());
    dueAt = Math.round(dueAt);
    const parked: DeliveryTask = { ...task, notBefore: dueAt };
    return {
      topic: this.deps.topics[tier.topic],
      messages: [
        {
          key: task.webhookId,
          value: parked,
          headers: { ...(headers.traceparent ? { traceparent: headers.traceparent } : {}), [NOT_BEFORE_HEADER]: String(dueAt) },
        },
      ],
    };
  }

  private disableIfFailingTooLong(webhook: WebhookEntry, failingSinceHint: number): Batch {
    const since = this.deps.gate.failingSince(webhook.snapshot.webhookId, failingSinceHint);
    if (since === null || Date.now() - since < this.deps.autoDisableAfterMs) return [];
    const hours = Math.round(((Date.now() - since) / 3_600_000) * 10) / 10;
    return this.disable(webhook, `deliveries have failed continuously since ${new Date(since).toISOString()} (${hours} h)`);
  }

  private disable(webhook: WebhookEntry, reason: string): Batch {
    const { snapshot } = webhook;
    if (this.disableRequested.get(snapshot.webhookId) === snapshot.version) return [];
    this.disableRequested.set(snapshot.webhookId, snapshot.version);
    const request: DisableWebhookRequest = {
      requestId: randomUUID(),
      tenantId: snapshot.tenantId,
      webhookId: snapshot.webhookId,
      version: snapshot.version,
      reason,
      requestedAt: new Date().toISOString(),
    };
    const notification = this.notification(webhook, 'webhook.disabled', `Herald: webhook "${label(webhook)}" was disabled`, [
      `Herald disabled the webhook "${label(webhook)}" (${snapshot.webhookId}) because ${reason}.`,
      `URL: ${snapshot.url}`,
      'Deliveries resume once the webhook is re-enabled through the API.',
    ]);
    return [
      { topic: this.deps.topics.disableRequests, messages: [{ key: snapshot.webhookId, value: request }] },
      { topic: this.deps.topics.notifications, messages: [{ key: snapshot.webhookId, value: notification }] },
    ];
  }

  private deadLetter(webhook: WebhookEntry, task: DeliveryTask, record: AttemptRecord): Batch {
    this.deps.metrics.deadLettered();
    const letter: DeadLetteredDelivery = {
      task,
      lastAttemptId: record.attemptId,
      lastOutcome: record.outcome,
      lastError: record.error,
      attempts: task.attempt,
      deadLetteredAt: new Date().toISOString(),
    };
    const notification = this.notification(
      webhook,
      'delivery.dead_lettered',
      `Herald: delivery of ${task.event.eventType} to "${label(webhook)}" failed`,
      [
        `Herald gave up delivering event ${task.eventId} (${task.event.eventType}) to the webhook "${label(webhook)}" (${task.webhookId}) after ${task.attempt} attempt(s).`,
        `URL: ${webhook.snapshot.url}`,
        `Last outcome: ${record.outcome}${record.error ? ` (${record.error})` : ''}`,
        `Delivery: ${task.deliveryId}. It can be redelivered from the event log.`,
      ],
    );
    return [
      { topic: this.deps.topics.deadLetters, messages: [{ key: task.webhookId, value: letter }] },
      { topic: this.deps.topics.notifications, messages: [{ key: task.webhookId, value: notification }] },
    ];
  }

  private notification(webhook: WebhookEntry, kind: Notification['kind'], subject: string, lines: string[]): Notification {
    const { snapshot } = webhook;
    return {
      notificationId: randomUUID(),
      kind,
      tenantId: snapshot.tenantId,
      webhookId: snapshot.webhookId,
      webhookName: snapshot.name,
      webhookUrl: snapshot.url,
      technicalContactId: snapshot.technicalContactId,
      email: snapshot.notificationEmail,
      subject,
      text: lines.join('\n'),
      occurredAt: new Date().toISOString(),
    };
  }

  private record(
    task: DeliveryTask,
    startedAt: Date,
    url: string,
    requestHeaders: Record<string, string>,
    result: SendResult,
  ): AttemptRecord {
    return {
      attemptId: newId('att'),
      deliveryId: task.deliveryId,
      eventId: task.eventId,
      eventType: task.event.eventType,
      webhookId: task.webhookId,
      tenantId: task.tenantId,
      attempt: task.attempt,
      // The body is the event's payload, stored once with the event: the record only refers to it.
      request: { url, method: 'POST', headers: requestHeaders },
      response:
        result.status === null
          ? null
          : { status: result.status, headers: result.headers, body: result.body, bodyTruncated: result.bodyTruncated },
      outcome: result.outcome,
      error: result.error,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(result.durationMs * 100) / 100,
      nextAttemptAt: null,
      deadLettered: false,
    };
  }
}

function label(webhook: WebhookEntry): string {
  return webhook.snapshot.name || webhook.snapshot.url;
}

function attemptMessage(record: AttemptRecord, headers: IHeaders): OutgoingMessage {
  return { key: record.webhookId, value: record, headers };
}

function notSent(error: string): SendResult {
  return { outcome: 'cancelled', status: null, headers: {}, body: '', bodyTruncated: false, error, durationMs: 0, retryAfterMs: null };
}
