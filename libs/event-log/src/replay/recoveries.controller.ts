import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { recoverWebhookSchema } from './recover-webhook.command';
import { RecoverWebhookUseCase } from './recover-webhook.usecase';
import { listRecoveriesQuerySchema, RecoveryQueries } from './recovery-queries';

/** Recovery jobs: resend every failed delivery of a webhook since a time, rate-bounded. */
@Controller('v1/recoveries')
@UseGuards(ApiKeyGuard)
export class RecoveriesController {
  constructor(
    private readonly recover: RecoverWebhookUseCase,
    private readonly queries: RecoveryQueries,
  ) {}

  @Post()
  @HttpCode(202)
  start(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const input = parseInput(recoverWebhookSchema, body);
    return this.recover.execute({
      principal,
      webhookId: input.webhookId,
      since: new Date(input.since),
      until: input.until ? new Date(input.until) : undefined,
      ratePerSecond: input.ratePerSecond,
    });
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() raw: unknown) {
    return this.queries.list(principal, parseInput(listRecoveriesQuerySchema, raw, 'query').webhookId);
  }

  @Get(':recoveryId')
  get(@CurrentPrincipal() principal: Principal, @Param('recoveryId') recoveryId: string) {
    return this.queries.get(principal, recoveryId);
  }
}
