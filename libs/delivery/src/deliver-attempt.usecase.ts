import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import {
  newId,
  type AttemptRecord,
  type DeadLetteredDelivery,
  type DeliveryTask,
  type DisableWebhookRequest,
  type Notification,
} from '@herald/contracts';
import type { HttpSender, SendResult, WebhookSigning } from '@herald/webhook-request';
import type { WebhookDirectory } from './webhook-directory';
import type { GateDecision, WebhookGate } from './webhook-gate';
import type { RetrySchedule } from './retry-schedule';

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
  metrics: DeliveryMetrics;
}

/** What follows one step of a delivery. */
export type NextStep =
  /** Delivered, answered 410 Gone, or not sent to a webhook that is gone or inactive. */
  | { kind: 'done' }
  /** Back in a delay tier until `task.notBefore`: not due yet, refused by the gate, or a retry. */
  | { kind: 'park'; task: DeliveryTask }
  | { kind: 'dead_letter'; letter: DeadLetteredDelivery; notification: Notification };

/** The outcome of one step, published by the caller (see `stepMessages`). */
export interface DeliveryStep {
  /** The attempt made or recorded as not sent; null when none was made (the task was parked). */
  attempt: AttemptRecord | null;
  next: NextStep;
  /** A request to disable the webhook (410 Gone, or failing for too long) with its notification. */
  disable: { request: DisableWebhookRequest; notification: Notification } | null;
}

/** A retry due this close is made now rather than parked. */
const DUE_TOLERANCE_MS = 50;

type Admitted = Extract<GateDecision, { admitted: true }>;
type Prepared = { ready: false; step: DeliveryStep } | { ready: true; webhook: WebhookSigning; decision: Admitted };

interface Sent {
  startedAt: Date;
  /** The request headers as recorded, secrets redacted. */
  recordedHeaders: Record<string, string>;
  result: SendResult;
}

/**
 * One delivery step: gate, sign and POST, record, then retry, dead-letter or request a disable.
 * The caller commits only once Kafka has the published step.
 */
export class DeliverAttemptUseCase {
  /** Webhook versions for which a disable was already requested (one request per version). */
  private readonly disableRequested = new Map<string, number>();

  constructor(private readonly deps: DeliverAttemptDeps) {}

  /**
   * `onQueued`: the delivery waits in memory for its webhook's slot (the caller may free its own).
   * `returning`: it comes back from a delay tier, and waits for a slot ahead of fresh deliveries.
   */
  async execute(
    task: DeliveryTask,
    headers: IHeaders = {},
    onQueued?: () => void,
    returning = false,
  ): Promise<DeliveryStep> {
    const prepared = await this.prepare(task, onQueued, returning);
    if (!prepared.ready) return prepared.step;
    const sent = await this.send(task, prepared.webhook, prepared.decision, headers.traceparent?.toString());
    const attempt = this.record(task, sent.startedAt, prepared.webhook.snapshot.url, sent.recordedHeaders, sent.result);
    return this.decide(task, prepared.webhook, attempt, sent);
  }

  private async prepare(task: DeliveryTask, onQueued?: () => void, returning = false): Promise<Prepared> {
    const now = Date.now();
    if (task.notBefore > now + DUE_TOLERANCE_MS) return { ready: false, step: parked(task, task.notBefore) };
    const { directory } = this.deps;
    let webhook = directory.get(task.webhookId);
    if (!webhook) {
      // A webhook created moments ago may not have reached this process's view yet.
      await this.deps.catchUp();
      webhook = directory.get(task.webhookId);
    }
    if (!webhook || webhook.snapshot.status !== 'ACTIVE') {
      const reason = !webhook ? 'webhook was deleted' : `webhook is ${webhook.snapshot.status}`;
      const attempt = this.record(task, new Date(now), webhook?.snapshot.url ?? '', {}, notSent(`not sent: ${reason}`));
      return { ready: false, step: { attempt, next: { kind: 'done' }, disable: null } };
    }
    let decision = this.deps.gate.acquire(task.webhookId, webhook.snapshot, returning);
    if (decision instanceof Promise) {
      onQueued?.();
      decision = await decision;
    }
    if (!decision.admitted) {
      // Not an attempt: the delivery comes back when the webhook can take it.
      this.deps.metrics.deferred(decision.reason);
      return { ready: false, step: parked(task, decision.retryAt + Math.floor(Math.random() * 100)) };
    }
    return { ready: true, webhook, decision };
  }

  private async send(
    task: DeliveryTask,
    webhook: WebhookSigning,
    decision: Admitted,
    traceparent?: string,
  ): Promise<Sent> {
    const startedAt = new Date();
    const { headers, body } = webhook.request(task.event, startedAt, traceparent);
    let result: SendResult;
    try {
      result = await this.deps.sender.post(webhook.snapshot.url, headers, body, webhook.snapshot.timeoutMs);
    } catch (error) {
      decision.release(null);
      throw error;
    }
    decision.release(gateVerdict(result), {
      timedOut: result.outcome === 'timeout',
      congested: result.status === 429 || result.status === 503,
      durationMs: result.durationMs,
      retryAfterMs: result.retryAfterMs,
    });
    this.deps.metrics.attempt(result.outcome, result.durationMs / 1000);
    return { startedAt, recordedHeaders: webhook.redacted(headers), result };
  }

  private decide(
    task: DeliveryTask,
    webhook: WebhookSigning,
    attempt: AttemptRecord,
    { startedAt, result }: Sent,
  ): DeliveryStep {
    if (result.outcome === 'success') {
      this.deps.metrics.delivered((Date.now() - Date.parse(task.event.occurredAt)) / 1000);
      return { attempt, next: { kind: 'done' }, disable: null };
    }
    if (result.outcome === 'gone')
      return { attempt, next: { kind: 'done' }, disable: this.disable(webhook, 'the receiver answered 410 Gone') };
    const firstAttemptAt = task.firstAttemptAt ?? startedAt.toISOString();
    const disable =
      result.outcome === 'blocked' ? null : this.disableIfFailingTooLong(webhook, Date.parse(firstAttemptAt));
    const delay =
      result.outcome === 'blocked'
        ? null
        : this.deps.schedule.delayAfter(task.attempt, webhook.snapshot.retrySchedule, result.retryAfterMs);
    if (delay === null) {
      attempt.deadLettered = true;
      this.deps.metrics.deadLettered();
      return { attempt, next: this.deadLetter(webhook, task, attempt), disable };
    }
    const notBefore = Math.round(startedAt.getTime() + result.durationMs + delay);
    attempt.nextAttemptAt = new Date(notBefore).toISOString();
    this.deps.metrics.retryScheduled();
    const next: DeliveryTask = { ...task, attempt: task.attempt + 1, notBefore, trigger: 'retry', firstAttemptAt };
    return { attempt, next: { kind: 'park', task: next }, disable };
  }

  private disableIfFailingTooLong(webhook: WebhookSigning, failingSinceHint: number): DeliveryStep['disable'] {
    const since = this.deps.gate.failingSince(webhook.snapshot.webhookId, failingSinceHint);
    if (since === null || Date.now() - since < this.deps.autoDisableAfterMs) return null;
    const hours = Math.round(((Date.now() - since) / 3_600_000) * 10) / 10;
    return this.disable(
      webhook,
      `deliveries have failed continuously since ${new Date(since).toISOString()} (${hours} h)`,
    );
  }

  private disable(webhook: WebhookSigning, reason: string): DeliveryStep['disable'] {
    const { snapshot } = webhook;
    if (this.disableRequested.get(snapshot.webhookId) === snapshot.version) return null;
    this.disableRequested.set(snapshot.webhookId, snapshot.version);
    const request: DisableWebhookRequest = {
      requestId: randomUUID(),
      tenantId: snapshot.tenantId,
      webhookId: snapshot.webhookId,
      version: snapshot.version,
      reason,
      requestedAt: new Date().toISOString(),
    };
    return { request, notification: { ...notificationFor(webhook, 'webhook.disabled'), reason } };
  }

  private deadLetter(webhook: WebhookSigning, task: DeliveryTask, attempt: AttemptRecord): NextStep {
    const letter: DeadLetteredDelivery = {
      task,
      lastAttemptId: attempt.attemptId,
      lastOutcome: attempt.outcome,
      lastError: attempt.error,
      attempts: task.attempt,
      deadLetteredAt: new Date().toISOString(),
    };
    const delivery = {
      deliveryId: task.deliveryId,
      eventId: task.eventId,
      eventType: task.event.eventType,
      attempts: task.attempt,
      lastOutcome: attempt.outcome,
      lastError: attempt.error,
    };
    return {
      kind: 'dead_letter',
      letter,
      notification: { ...notificationFor(webhook, 'delivery.dead_lettered'), delivery },
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
      concurrencyLimit: this.deps.gate.currentLimit(task.webhookId),
    };
  }
}

function parked(task: DeliveryTask, dueAt: number): DeliveryStep {
  return { attempt: null, next: { kind: 'park', task: { ...task, notBefore: Math.round(dueAt) } }, disable: null };
}

function notificationFor(webhook: WebhookSigning, kind: Notification['kind']): Notification {
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
    reason: null,
    delivery: null,
    occurredAt: new Date().toISOString(),
  };
}

/** A 429 asks to slow down, not that the webhook is broken: it adapts the limit, not the breaker. */
function gateVerdict(result: SendResult): boolean | null {
  if (result.outcome === 'blocked' || result.status === 429) return null;
  return result.outcome === 'success';
}

function notSent(error: string): SendResult {
  return {
    outcome: 'cancelled',
    status: null,
    headers: {},
    body: '',
    bodyTruncated: false,
    error,
    durationMs: 0,
    retryAfterMs: null,
  };
}
