import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiKeyGuard, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { idField } from '../common/query-fields';
import { recoverWebhookSchema } from './recover-webhook.command';
import { RecoverWebhookUseCase } from './recover-webhook.usecase';
import { RecoveryQueries } from './recovery-queries';

const listSchema = z.strictObject({ webhookId: idField('webhookId').optional() });

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
    return this.queries.list(principal, parseInput(listSchema, raw, 'query').webhookId);
  }

  @Get(':recoveryId')
  get(@CurrentPrincipal() principal: Principal, @Param('recoveryId') recoveryId: string) {
    return this.queries.get(principal, recoveryId);
  }
}
