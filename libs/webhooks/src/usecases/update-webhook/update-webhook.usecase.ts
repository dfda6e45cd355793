import { Inject, Injectable } from '@nestjs/common';
import { EventTypeCatalog } from '../../event-types/event-type-catalog';
import type { UpdateWebhookCommand, UpdateWebhookResult } from './update-webhook.command';
import { assertTimeoutWithinBudget, lockWebhook, setSignatureProfiles, touch } from '../../webhook-mutation';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { eventFiltersOf, statusOf, toWebhookResponse } from '../../webhook.dto';
import { WebhookWriter } from '../../webhook-writer';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../../webhooks.options';

@Injectable()
export class UpdateWebhookUseCase {
  constructor(
    private readonly writer: WebhookWriter,
    private readonly urlPolicy: WebhookUrlPolicy,
    private readonly catalog: EventTypeCatalog,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  async execute({ principal, webhookId, input, expected }: UpdateWebhookCommand): Promise<UpdateWebhookResult> {
    assertTimeoutWithinBudget(input.timeoutMs, this.options);
    if (input.url !== undefined) await this.urlPolicy.check(input.url);
    return this.writer.write(principal, 'webhook.updated', async (manager) => {
      const webhook = await lockWebhook(manager, principal, webhookId, expected);
      const before = { ...webhook };
      const events = eventFiltersOf(input);
      if (events) {
        // Only newly added filters must be in the catalog: keeping a now-deprecated one is allowed.
        await this.catalog.assertSubscribable(
          events.filter((e) => !webhook.events.includes(e)),
          manager,
        );
        webhook.events = events;
      }
      const status = statusOf(input);
      if (status) {
        webhook.status = status;
        webhook.disabledReason = null;
      }
      const { name, url, description, technicalContactId, failureEmail, headers, rateLimitPerSecond, metadata } = input;
      const { staticKey, signatureProfiles, retrySchedule, maxConcurrency, timeoutMs, filter } = input;
      const changes = {
        name,
        url,
        description,
        technicalContactId,
        failureEmail,
        headers,
        rateLimitPerSecond,
        metadata,
      };
      const settings = { staticKey, retrySchedule, maxConcurrency, timeoutMs, filter };
      for (const [field, value] of Object.entries({ ...changes, ...settings })) {
        if (value !== undefined) Object.assign(webhook, { [field]: value });
      }
      if (signatureProfiles) setSignatureProfiles(webhook, signatureProfiles);
      touch(webhook, principal);
      const saved = await manager.save(webhook);
      return { result: toWebhookResponse(saved), before, saved };
    });
  }
}
