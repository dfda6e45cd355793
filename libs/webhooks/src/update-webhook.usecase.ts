import { Injectable } from '@nestjs/common';
import { ApiError, notFound } from '@herald/http';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import type { DeleteWebhookCommand, UpdateWebhookCommand } from './webhook-commands';
import { eventFiltersOf, statusOf, toWebhookResponse } from './webhook.dto';
import { WebhookWriter } from './webhook-writer';
import { userInfoOf } from './create-webhook.usecase';

const stale = (expected: number, actual: number) =>
  new ApiError(409, 'version_conflict', `Webhook was modified: expected version ${expected}, current version is ${actual}`);

@Injectable()
export class UpdateWebhookUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  async execute({ principal, webhookId, input, expectedVersion }: UpdateWebhookCommand) {
    return this.writer.write(async (manager) => {
      const webhook = await manager.findOne(WebhookEndpoint, {
        where: { id: webhookId, tenantId: principal.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!webhook) throw notFound(`Webhook ${webhookId}`);
      const expected = expectedVersion ?? input.version;
      if (expected !== undefined && expected !== webhook.version) throw stale(expected, webhook.version);
      const events = eventFiltersOf(input);
      const status = statusOf(input);
      if (input.name !== undefined) webhook.name = input.name;
      if (input.url !== undefined) webhook.url = input.url;
      if (input.description !== undefined) webhook.description = input.description;
      if (events) webhook.events = events;
      if (status) {
        webhook.status = status;
        webhook.disabledReason = null;
      }
      if (input.technicalContactId !== undefined) webhook.technicalContactId = input.technicalContactId;
      if (input.failureEmail !== undefined) webhook.failureEmail = input.failureEmail;
      if (input.headers !== undefined) webhook.headers = input.headers;
      if (input.rateLimitPerSecond !== undefined) webhook.rateLimitPerSecond = input.rateLimitPerSecond;
      if (input.metadata !== undefined) webhook.metadata = input.metadata;
      webhook.version += 1;
      webhook.updatedAt = new Date();
      webhook.modifiedBy = userInfoOf(principal);
      const saved = await manager.save(webhook);
      return { result: toWebhookResponse(saved), saved };
    });
  }
}

@Injectable()
export class DeleteWebhookUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  async execute({ principal, webhookId, expectedVersion }: DeleteWebhookCommand): Promise<void> {
    await this.writer.write(async (manager) => {
      const webhook = await manager.findOne(WebhookEndpoint, {
        where: { id: webhookId, tenantId: principal.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!webhook) throw notFound(`Webhook ${webhookId}`);
      if (expectedVersion !== undefined && expectedVersion !== webhook.version) {
        throw stale(expectedVersion, webhook.version);
      }
      await manager.delete(WebhookEndpoint, { id: webhook.id });
      return { result: undefined, saved: null, deletedId: webhook.id };
    });
  }
}
