import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_VERSION, newId, type EventEnvelope } from '@herald/contracts';
import { badRequest } from '@herald/http';
import { HttpSender, WebhookSigning } from '@herald/webhook-request';
import { WebhookQueries } from '../../webhook-queries';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { toWebhookSnapshot } from '../../webhook.dto';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../../webhooks.options';
import type { SendTestEventCommand, SendTestEventResult } from './send-test-event.command';

const TEST_TIMEOUT_MS = 5000;
const TEST_MAX_RESPONSE_BYTES = 4096;

/**
 * Same payload shape, signature headers and 5-second budget as a real delivery, whatever the webhook's
 * status; not retried and not recorded as an attempt.
 */
@Injectable()
export class SendTestEventUseCase implements OnApplicationShutdown {
  private readonly sender: HttpSender;

  constructor(
    private readonly queries: WebhookQueries,
    private readonly urlPolicy: WebhookUrlPolicy,
    @Inject(WEBHOOKS_OPTIONS) options: WebhooksOptions,
  ) {
    // The deliverer's sender: same budget, no redirects, and its send-time address guard.
    const senderOptions = {
      timeoutMs: TEST_TIMEOUT_MS,
      maxResponseBytes: TEST_MAX_RESPONSE_BYTES,
      userAgent: `Herald/${HERALD_VERSION}`,
      allowedCidrs: options.allowedTargetCidrs,
      resolve: options.resolve,
    };
    this.sender = new HttpSender(senderOptions);
  }

  async execute({ principal, webhookId, input }: SendTestEventCommand): Promise<SendTestEventResult> {
    const webhook = await this.queries.get(principal, webhookId);
    const snapshot = toWebhookSnapshot(webhook);
    // The address may have changed since creation; check again right before connecting.
    await this.urlPolicy.check(snapshot.url);
    const eventType = input.eventType ?? snapshot.events.find((e) => !e.includes('*')) ?? 'herald.test';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(eventType)) {
      throw badRequest('eventType must be letters, digits, ".", "_", ":" or "-", starting with a letter or digit');
    }
    const now = new Date();
    const event: EventEnvelope = {
      eventId: newId('evt'),
      eventType,
      tenantId: principal.tenantId,
      occurredAt: now.toISOString(),
      receivedAt: now.toISOString(),
      source: 'herald:test',
      schemaVersion: 1,
      data: input.data ?? { test: true, message: 'Test event sent from the Herald API' },
    };
    // The deliverer's signed-request builder: same payload, headers, signatures and redaction.
    const signing = new WebhookSigning(snapshot);
    const { headers, body } = signing.request(event, now);
    const result = await this.sender.post(snapshot.url, headers, body);
    return {
      webhookId: webhook.id,
      eventId: event.eventId,
      eventType,
      outcome: result.outcome,
      error: result.error,
      durationMs: Math.round(result.durationMs),
      request: {
        url: snapshot.url,
        headers: signing.redacted(headers),
        body,
      },
      response:
        result.status === null
          ? null
          : { status: result.status, body: result.body, bodyTruncated: result.bodyTruncated },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}
