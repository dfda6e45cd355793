import { Injectable } from '@nestjs/common';
import { newId } from '@herald/contracts';
import { generateSecret } from '@herald/signing';
import { WebhookEndpoint, type UserInfo } from './webhook-endpoint.entity';
import type { CreateWebhookCommand } from './webhook-commands';
import { eventFiltersOf, statusOf, toWebhookResponse } from './webhook.dto';
import { WebhookWriter } from './webhook-writer';

export function userInfoOf(principal: { keyId: string }): UserInfo {
  return { userId: principal.keyId, userName: principal.keyId === 'bootstrap' ? 'bootstrap admin key' : principal.keyId };
}

@Injectable()
export class CreateWebhookUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  async execute({ principal, input }: CreateWebhookCommand) {
    const now = new Date();
    const user = userInfoOf(principal);
    const webhook = Object.assign(new WebhookEndpoint(), {
      id: newId('wh'),
      tenantId: principal.tenantId,
      name: input.name ?? new URL(input.url).hostname.slice(0, 50),
      url: input.url,
      description: input.description ?? null,
      events: eventFiltersOf(input)!,
      status: statusOf(input) ?? 'ACTIVE',
      disabledReason: null,
      technicalContactId: input.technicalContactId ?? null,
      failureEmail: input.failureEmail ?? null,
      headers: input.headers ?? {},
      rateLimitPerSecond: input.rateLimitPerSecond ?? null,
      metadata: input.metadata ?? {},
      secret: generateSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      publicKey: null,
      privateKey: null,
      keyGeneratedAt: null,
      version: 1,
      createdBy: user,
      modifiedBy: user,
      createdAt: now,
      updatedAt: now,
      lastTriggeredAt: null,
    } satisfies Partial<WebhookEndpoint>);
    return this.writer.write(async (manager) => {
      const saved = await manager.save(webhook);
      // The secret is shown once at creation, as the seed products do; it can be revealed later by an admin.
      return { result: toWebhookResponse(saved, { includeSecret: true }), saved };
    });
  }
}
