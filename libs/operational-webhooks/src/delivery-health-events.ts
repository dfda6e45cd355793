import {
  isOperationalEventType,
  type AttemptRecord,
  type DeadLetteredDelivery,
  type EventEnvelope,
  type WebhookSnapshot,
} from '@herald/contracts';
import { displayUrl, isOperationalWebhook, operationalEnvelopes } from './operational-event';

export type BreakerStateName = 'closed' | 'open' | 'half_open';

export interface DeliveryHealthEventsDeps {
  /** The webhook as the deliverer knows it. */
  webhook: (webhookId: string) => WebhookSnapshot | undefined;
  /** Start of the webhook's current run of failures (epoch ms), if any. */
  failingSince: (webhookId: string) => number | null;
  operatorTenant: string | null | undefined;
  now?: () => number;
}

/** The part of a delivery step these events are made from (structurally DeliveryStep's). */
export interface StepFacts {
  attempt: AttemptRecord | null;
  next: { kind: string; letter?: DeadLetteredDelivery };
}

type Transition = { kind: 'failing' | 'recovered'; at: number; failingSince: number | null; openedAt: number | null };

/**
 * The deliverer's operational events: `webhook.failing` when a breaker opens from closed,
 * `webhook.recovered` when it closes again, `delivery.dead_lettered` for a dead letter. Breaker
 * transitions wait here until the step of that webhook is published, and go in its batch.
 */
export class DeliveryHealthEvents {
  private readonly breakers = new Map<string, { state: BreakerStateName; openedAt: number | null }>();
  private readonly pending = new Map<string, Transition[]>();
  private readonly now: () => number;

  constructor(private readonly deps: DeliveryHealthEventsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The gate's observer: records the transitions worth an event. */
  breakerChanged(webhookId: string, state: BreakerStateName): void {
    const previous = this.breakers.get(webhookId) ?? { state: 'closed', openedAt: null };
    const at = this.now();
    if (state === 'closed') this.breakers.delete(webhookId);
    else this.breakers.set(webhookId, { state, openedAt: previous.state === 'closed' ? at : previous.openedAt });
    if (state === 'open' && previous.state === 'closed') {
      this.queue(webhookId, { kind: 'failing', at, failingSince: this.deps.failingSince(webhookId), openedAt: at });
    } else if (state === 'closed' && previous.state !== 'closed') {
      this.queue(webhookId, { kind: 'recovered', at, failingSince: null, openedAt: previous.openedAt });
    }
  }

  private queue(webhookId: string, transition: Transition): void {
    const list = this.pending.get(webhookId) ?? [];
    // Flapping faster than steps are published: the latest few transitions are enough.
    if (list.length >= 4) list.shift();
    list.push(transition);
    this.pending.set(webhookId, list);
  }

  /** The webhook starts over (deleted or re-enabled): a reset breaker is no recovery. */
  forget(webhookId: string): void {
    this.breakers.delete(webhookId);
    this.pending.delete(webhookId);
  }

  /** The operational events to publish with this step of one of the webhook's deliveries. */
  eventsFor(webhookId: string, step: StepFacts): EventEnvelope[] {
    const transitions = this.pending.get(webhookId);
    if (transitions) this.pending.delete(webhookId);
    const letter = step.next.kind === 'dead_letter' ? step.next.letter : undefined;
    if (!transitions && !letter) return [];
    const webhook = this.deps.webhook(webhookId);
    if (!webhook || isOperationalWebhook(webhook.events)) return [];
    const events = (transitions ?? []).flatMap((t) => this.transitionEvents(webhook, t, step.attempt));
    if (letter && !isOperationalEventType(letter.task.event.eventType)) {
      events.push(...this.deadLetterEvents(webhook, letter, step.attempt));
    }
    return events;
  }

  private transitionEvents(webhook: WebhookSnapshot, t: Transition, attempt: AttemptRecord | null): EventEnvelope[] {
    const facts = factsOf(webhook);
    const at = new Date(t.at).toISOString();
    const last = lastAttemptOf(attempt);
    const occurrence = `${webhook.webhookId}:${t.at}`;
    if (t.kind === 'failing') {
      const failingSince = t.failingSince === null ? null : new Date(t.failingSince).toISOString();
      return operationalEnvelopes(
        {
          type: 'webhook.failing',
          occurrence,
          occurredAt: at,
          data: { ...facts, failingSince, breakerOpenedAt: at, lastAttempt: last },
        },
        this.deps.operatorTenant,
      );
    }
    const breakerOpenedAt = t.openedAt === null ? null : new Date(t.openedAt).toISOString();
    return operationalEnvelopes(
      {
        type: 'webhook.recovered',
        occurrence,
        occurredAt: at,
        data: { ...facts, breakerOpenedAt, recoveredAt: at, lastAttempt: last },
      },
      this.deps.operatorTenant,
    );
  }

  private deadLetterEvents(
    webhook: WebhookSnapshot,
    letter: DeadLetteredDelivery,
    attempt: AttemptRecord | null,
  ): EventEnvelope[] {
    const { task } = letter;
    return operationalEnvelopes(
      {
        type: 'delivery.dead_lettered',
        occurrence: task.deliveryId,
        occurredAt: letter.deadLetteredAt,
        data: {
          ...factsOf(webhook),
          deliveryId: task.deliveryId,
          eventId: task.eventId,
          eventType: task.event.eventType,
          attempts: letter.attempts,
          lastOutcome: letter.lastOutcome,
          lastStatus: attempt?.response?.status ?? null,
          lastError: letter.lastError,
          deadLetteredAt: letter.deadLetteredAt,
        },
      },
      this.deps.operatorTenant,
    );
  }
}

function factsOf(webhook: WebhookSnapshot) {
  return {
    webhookId: webhook.webhookId,
    tenantId: webhook.tenantId,
    webhookName: webhook.name,
    url: displayUrl(webhook.url),
  };
}

function lastAttemptOf(attempt: AttemptRecord | null) {
  if (!attempt) return null;
  return {
    attemptId: attempt.attemptId,
    outcome: attempt.outcome,
    status: attempt.response?.status ?? null,
    error: attempt.error,
  };
}
