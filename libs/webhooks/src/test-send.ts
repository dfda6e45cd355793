import { HERALD_VERSION, newId, type EventEnvelope, type WebhookSnapshot } from '@herald/contracts';
import { badRequest } from '@herald/http';
import { HttpSender, WebhookSigning } from '@herald/webhook-request';
import type { SendTestEventInput, SendTestEventResult } from './usecases/send-test-event/send-test-event.command';
import type { WebhookUrlPolicy } from './webhook-url-policy';
import type { WebhooksOptions } from './webhooks.options';

const TEST_TIMEOUT_MS = 5000;
const TEST_MAX_RESPONSE_BYTES = 4096;

/**
 * One test event to a webhook's snapshot: same payload shape, signature headers and 5-second budget as a
 * real delivery; not retried and not recorded as an attempt.
 */
export class TestSend {
  private readonly sender: HttpSender;

  constructor(
    private readonly urlPolicy: WebhookUrlPolicy,
    options: WebhooksOptions,
  ) {
    // The deliverer's sender: same budget, no redirects, and its send-time address guard.
    this.sender = new HttpSender({
      timeoutMs: TEST_TIMEOUT_MS,
      maxResponseBytes: TEST_MAX_RESPONSE_BYTES,
      userAgent: `Herald/${HERALD_VERSION}`,
      allowedCidrs: options.allowedTargetCidrs,
      resolve: options.resolve,
    });
  }

  async send(snapshot: WebhookSnapshot, input: SendTestEventInput): Promise<Omit<SendTestEventResult, 'webhookId'>> {
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
      tenantId: snapshot.tenantId,
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
      eventId: event.eventId,
      eventType,
      outcome: result.outcome,
      error: result.error,
      durationMs: Math.round(result.durationMs),
      request: { url: snapshot.url, headers: signing.redacted(headers), body },
      response:
        result.status === null
          ? null
          : { status: result.status, body: result.body, bodyTruncated: result.bodyTruncated },
    };
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
