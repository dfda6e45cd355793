import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@herald/contracts';
import { HeraldError } from '@herald/http';
import { generateSecret } from '@herald/signing';
import { assertTimeoutWithinBudget, setSignatureProfiles } from '../../webhook-mutation';
import { EventTypeCatalog } from '../../event-types/event-type-catalog';
import { claimIdempotencyKey, storeIdempotentResponse, type IdempotencyClaim } from '../../idempotency-keys';
import { userInfoOf } from '../../user-info';
import { WebhookEntity } from '../../webhook.entity';
import type { CreateWebhookCommand, CreateWebhookResult } from './create-webhook.command';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { eventFiltersOf, statusOf, toWebhookResponse, type WebhookResponse } from '../../webhook.dto';
import { WebhookWriter } from '../../webhook-writer';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../../webhooks.options';

@Injectable()
export class CreateWebhookUseCase {
  constructor(
    private readonly writer: WebhookWriter,
    private readonly urlPolicy: WebhookUrlPolicy,
    private readonly catalog: EventTypeCatalog,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  async execute({
    principal,
    input,
    idempotencyKey,
    payloadTenantField,
  }: CreateWebhookCommand): Promise<CreateWebhookResult> {
    // DNS is resolved before the transaction opens: no row lock is held while waiting on it.
    assertTimeoutWithinBudget(input.timeoutMs, this.options);
    await this.urlPolicy.check(input.url);
    const events = eventFiltersOf(input)!;
    const claim: IdempotencyClaim | null = idempotencyKey
      ? { tenantId: principal.tenantId, scope: 'POST /v1/webhooks', key: idempotencyKey, request: input }
      : null;
    return this.writer.write(principal, 'webhook.created', async (manager) => {
      if (claim) {
        const earlier = await claimIdempotencyKey(manager, claim);
        if (earlier) return { result: earlier as WebhookResponse, before: null, saved: null };
      }
      // One tenant's creations queue here, so two racing requests cannot both take the last slot.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${principal.tenantId}`]);
      const [{ count }] = await manager.query('SELECT count(*)::int AS count FROM webhooks WHERE tenant_id = $1', [
        principal.tenantId,
      ]);
      if (count >= this.options.webhookLimitPerTenant) {
        throw new HeraldError(
          'webhook_limit_reached',
          `This tenant already has ${count} webhooks; the limit is ${this.options.webhookLimitPerTenant}. Delete one before creating another`,
        );
      }
      await this.catalog.assertSubscribable(events, manager);
      const webhook = this.newWebhook(principal, input, events, payloadTenantField);
      const saved = await manager.save(webhook);
      // The secret is shown at creation, as the seed products do; an admin can reveal it later.
      const result = toWebhookResponse(saved, { includeSecret: true });
      if (claim) await storeIdempotentResponse(manager, claim, result);
      return { result, before: null, saved };
    });
  }

  private newWebhook(
    principal: CreateWebhookCommand['principal'],
    input: CreateWebhookCommand['input'],
    events: string[],
    payloadTenantField: CreateWebhookCommand['payloadTenantField'] = 'tenantId',
  ) {
    const now = new Date();
    const user = userInfoOf(principal);
    const webhook = Object.assign(new WebhookEntity(), {
      id: newId('wh'),
      tenantId: principal.tenantId,
      name: input.name ?? new URL(input.url).hostname.slice(0, 50),
      url: input.url,
      description: input.description ?? null,
      events,
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
      staticKey: input.staticKey ?? null,
      signatureProfiles: [],
      retrySchedule: input.retrySchedule ?? null,
      maxConcurrency: input.maxConcurrency ?? null,
      timeoutMs: input.timeoutMs ?? null,
      filter: input.filter ?? null,
      version: 1,
      createdBy: user,
      modifiedBy: user,
      createdAt: now,
      updatedAt: now,
      lastTriggeredAt: null,
      payloadTenantField,
    } satisfies WebhookEntity);
    setSignatureProfiles(webhook, input.signatureProfiles ?? ['standard', 'compat'], now);
    return webhook;
  }
}
