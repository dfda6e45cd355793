import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, badRequest, parseInput, type Principal } from '@herald/http';
import { CreateWebhookUseCase } from './create-webhook.usecase';
import { DeleteWebhookUseCase, UpdateWebhookUseCase } from './update-webhook.usecase';
import { createWebhookSchema, listWebhooksQuerySchema, updateWebhookSchema } from './webhook.dto';
import { WebhookQueries } from './webhook-queries';

/** `If-Match: 3` or `If-Match: "3"` → 3. */
function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!match) throw badRequest('If-Match must be the webhook version, e.g. If-Match: "3"');
  return Number(match[1]);
}

@Controller('v1/webhooks')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(
    private readonly createWebhook: CreateWebhookUseCase,
    private readonly updateWebhook: UpdateWebhookUseCase,
    private readonly deleteWebhook: DeleteWebhookUseCase,
    private readonly queries: WebhookQueries,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.createWebhook.execute({ principal, input: parseInput(createWebhookSchema, body) });
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
    return this.updateWebhook.execute({
      principal,
      webhookId: id,
      input: parseInput(updateWebhookSchema, body),
      expectedVersion: versionFromIfMatch(ifMatch),
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Headers('if-match') ifMatch?: string) {
    await this.deleteWebhook.execute({ principal, webhookId: id, expectedVersion: versionFromIfMatch(ifMatch) });
  }
}
