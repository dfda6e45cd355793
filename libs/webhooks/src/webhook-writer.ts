import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '@herald/http';
import { sealSnapshot, secretBox } from '@herald/secret-box';
import { webhookStatusEvents } from '@herald/operational-webhooks';
import { auditEntry } from './audit/audit-entry';
import { OutboxWriter } from './outbox/outbox-writer';
import { WebhookEntity } from './webhook.entity';
import { toAuditView, toWebhookSnapshot } from './webhook.dto';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';

export interface WebhookChange<T> {
  result: T;
  /** The webhook as it was before the change (null on create). */
  before: WebhookEntity | null;
  /** The webhook after the change; null when it was deleted. */
  saved: WebhookEntity | null;
  /** Set on delete: the id whose snapshot becomes a tombstone. */
  deletedId?: string;
}

/**
 * Writes a webhook change, its `webhooks.subscriptions` snapshot (tombstone on delete) and its
 * `webhooks.audit` record in one transaction through the outbox, with the operational event
 * (`webhook.disabled` / `webhook.enabled`) a status change makes.
 */
@Injectable()
export class WebhookWriter {
  constructor(
    private readonly outbox: OutboxWriter,
    @Optional() @Inject(WEBHOOKS_OPTIONS) private readonly options?: WebhooksOptions,
  ) {}

  write<T>(
    principal: Principal,
    action: string,
    change: (manager: EntityManager) => Promise<WebhookChange<T>>,
  ): Promise<T> {
    return this.outbox.transact(async (manager) => {
      const outcome = await change(manager);
      // Nothing changed (an idempotent repeat): nothing to publish or audit.
      if (!outcome.saved && !outcome.deletedId) return { result: outcome.result, messages: [] };
      const topics = this.outbox.topics;
      const id = outcome.saved?.id ?? outcome.deletedId!;
      return {
        result: outcome.result,
        messages: [
          {
            topic: topics.subscriptions,
            key: id,
            value: outcome.saved ? sealSnapshot(toWebhookSnapshot(outcome.saved), secretBox()) : null,
          },
          auditEntry(topics, {
            principal,
            action,
            resourceType: 'webhook',
            resourceId: id,
            before: outcome.before ? toAuditView(outcome.before) : null,
            after: outcome.saved ? toAuditView(outcome.saved) : null,
          }),
          ...webhookStatusEvents(outcome.before, outcome.saved, this.options?.operationalWebhooksTenant).map(
            (event) => ({ topic: topics.events, key: event.tenantId, value: event }),
          ),
        ],
      };
    });
  }
}
