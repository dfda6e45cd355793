import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiKeyGuard,
  CurrentPrincipal,
  RequireScope,
  assertSessionEventTypes,
  assertSessionMayCreateWebhook,
  badRequest,
  parseInput,
  type Principal,
} from '@herald/http';
import { idempotencyKeyPattern } from './idempotency-keys';
import type { ExpectedVersion } from './webhook-mutation';
import { createWebhookSchema, eventFiltersOf, listWebhooksQuerySchema, updateWebhookSchema } from './webhook.dto';
import { WebhookQueries } from './webhook-queries';
import {
  CreateWebhookUseCase,
  DeleteWebhookUseCase,
  RevealWebhookSecretUseCase,
  RotateWebhookKeyPairUseCase,
  RotateWebhookSecretUseCase,
  SendTestEventUseCase,
  SetWebhookStatusUseCase,
  UpdateWebhookUseCase,
  rotateSecretSchema,
  sendTestEventSchema,
} from './usecases';

/** `If-Match: 3`, `"3"` or `W/"3"` → 3 (the webhook's version is its entity tag). */
export function versionFromIfMatch(header: string | undefined): ExpectedVersion | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw badRequest('If-Match must be the webhook version, e.g. If-Match: "3"');
  return { version: Number(match[1]), from: 'if-match' };
}

function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!idempotencyKeyPattern.test(header))
    throw badRequest('Idempotency-Key must be 1-255 printable characters without spaces');
  return header;
}

@Controller('v1/webhooks')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(
    private readonly createWebhook: CreateWebhookUseCase,
    private readonly updateWebhook: UpdateWebhookUseCase,
    private readonly setStatus: SetWebhookStatusUseCase,
    private readonly deleteWebhook: DeleteWebhookUseCase,
    private readonly revealSecret: RevealWebhookSecretUseCase,
    private readonly rotateSecret: RotateWebhookSecretUseCase,
    private readonly rotateKeyPair: RotateWebhookKeyPairUseCase,
    private readonly sendTestEvent: SendTestEventUseCase,
    private readonly queries: WebhookQueries,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const idempotencyKey = idempotencyKeyOf(key);
    const input = parseInput(createWebhookSchema, body);
    assertSessionMayCreateWebhook(principal);
    assertSessionEventTypes(principal, eventFiltersOf(input));
    return this.createWebhook.execute({ principal, input, idempotencyKey });
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    return this.queries.list(principal, parseInput(listWebhooksQuerySchema, query, 'query'));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.queries.view(principal, id);
  }

  @Patch(':id')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch?: string,
  ) {
    const input = parseInput(updateWebhookSchema, body);
    assertSessionEventTypes(principal, eventFiltersOf(input));
    const expected =
      versionFromIfMatch(ifMatch) ??
      (input.version !== undefined ? { version: input.version, from: 'body' as const } : undefined);
    return this.updateWebhook.execute({ principal, webhookId: id, input, expected });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    await this.deleteWebhook.execute({ principal, webhookId: id, expected: versionFromIfMatch(ifMatch) });
  }

  @Post(':id/activate')
  @HttpCode(200)
  activate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Headers('if-match') ifMatch?: string) {
    return this.setStatus.execute({ principal, webhookId: id, active: true, expected: versionFromIfMatch(ifMatch) });
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Headers('if-match') ifMatch?: string) {
    return this.setStatus.execute({ principal, webhookId: id, active: false, expected: versionFromIfMatch(ifMatch) });
  }

  /** "Copy secret". A GET, but it reveals a credential: admin scope, and it is audited. */
  @Get(':id/secret')
  @RequireScope('admin')
  secret(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.revealSecret.execute({ principal, webhookId: id });
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch?: string,
  ) {
    const { overlapSeconds } = parseInput(rotateSecretSchema, body);
    return this.rotateSecret.execute({
      principal,
      webhookId: id,
      expected: versionFromIfMatch(ifMatch),
      overlapSeconds,
    });
  }

  @Post(':id/rotate-key')
  @HttpCode(200)
  rotateKey(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Headers('if-match') ifMatch?: string) {
    return this.rotateKeyPair.execute({ principal, webhookId: id, expected: versionFromIfMatch(ifMatch) });
  }

  /** Sends one signed test event now and answers with the attempt's outcome (200 even when the receiver failed). */
  @Post(':id/test')
  @HttpCode(200)
  test(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    const input = parseInput(sendTestEventSchema, body);
    assertSessionEventTypes(principal, input.eventType ? [input.eventType] : []);
    return this.sendTestEvent.execute({ principal, webhookId: id, input });
  }
}
