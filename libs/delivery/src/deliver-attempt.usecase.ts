import type { IHeaders } from 'kafkajs';
import { newId, webhookPayloadFor, type AttemptRecord, type DeliveryTask } from '@herald/contracts';
import { signStandardWebhook } from '@herald/signing';
import type { EndpointDirectory } from './endpoint-directory';
import type { HttpSender, SendResult } from './http-sender';

export interface DeliveryMetrics {
  attempt(outcome: string, durationSeconds: number): void;
  delivered(lagSeconds: number): void;
}

export interface DeliverAttemptDeps {
  directory: EndpointDirectory;
  sender: HttpSender;
  /** Waits until the directory has every subscription change published so far. */
  catchUp: () => Promise<void>;
  publishAttempt: (record: AttemptRecord, headers?: IHeaders) => Promise<void>;
  metrics: DeliveryMetrics;
}

const REDACTED = '[redacted]';

/**
 * Delivers one attempt of one task: find the endpoint, sign the body with every active secret,
 * POST it, and publish the attempt record. Returns the record.
 */
export class DeliverAttemptUseCase {
  constructor(private readonly deps: DeliverAttemptDeps) {}

  async execute(task: DeliveryTask, headers: IHeaders = {}): Promise<AttemptRecord> {
    const { directory } = this.deps;
    let endpoint = directory.get(task.webhookId);
    if (!endpoint) {
      // A webhook created moments ago may not have reached this process's view yet.
      await this.deps.catchUp();
      endpoint = directory.get(task.webhookId);
    }
    const startedAt = new Date();
    const body = JSON.stringify(webhookPayloadFor(task.event));
    const traceparent = headers.traceparent?.toString();

    if (!endpoint || endpoint.snapshot.status !== 'ACTIVE') {
      const reason = !endpoint ? 'webhook was deleted' : `webhook is ${endpoint.snapshot.status}`;
      return this.record(task, startedAt, endpoint?.snapshot.url ?? '', {}, body, {
        outcome: 'cancelled',
        status: null,
        headers: {},
        body: '',
        bodyTruncated: false,
        error: `not sent: ${reason}`,
        durationMs: 0,
      }, traceparent);
    }

    const signed = signStandardWebhook(
      directory.activeSigners(endpoint, startedAt.getTime()),
      task.eventId,
      startedAt,
      body,
    );
    const requestHeaders: Record<string, string> = {
      ...endpoint.snapshot.headers,
      ...signed,
      ...(traceparent ? { traceparent } : {}),
    };
    const result = await this.deps.sender.post(endpoint.snapshot.url, requestHeaders, body);
    this.deps.metrics.attempt(result.outcome, result.durationMs / 1000);
    if (result.outcome === 'success') {
      this.deps.metrics.delivered((Date.now() - Date.parse(task.event.occurredAt)) / 1000);
    }
    const recorded: Record<string, string> = {};
    for (const [name, value] of Object.entries(requestHeaders)) {
      recorded[name] = endpoint.customHeaderNames.has(name.toLowerCase()) ? REDACTED : value;
    }
    return this.record(task, startedAt, endpoint.snapshot.url, recorded, body, result, traceparent);
  }

  private async record(
    task: DeliveryTask,
    startedAt: Date,
    url: string,
    requestHeaders: Record<string, string>,
    body: string,
    result: SendResult,
    traceparent: string | undefined,
  ): Promise<AttemptRecord> {
    const record: AttemptRecord = {
      attemptId: newId('att'),
      deliveryId: task.deliveryId,
      eventId: task.eventId,
      eventType: task.event.eventType,
      webhookId: task.webhookId,
      tenantId: task.tenantId,
      attempt: task.attempt,
      request: { url, method: 'POST', headers: requestHeaders, body },
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
    await this.deps.publishAttempt(record, traceparent ? { traceparent } : undefined);
    return record;
  }
}
