import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiKeyGuard, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { idField } from '../common/query-fields';
import { RecoverWebhookUseCase } from './recover-webhook.usecase';

const dateTime = (name: string) => z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time` });

const recoverSchema = z.strictObject({
  webhookId: idField('webhookId'),
  since: dateTime('since'),
  until: dateTime('until').optional(),
  ratePerSecond: z.number().int('ratePerSecond must be a whole number').min(1, 'ratePerSecond must be at least 1').optional(),
});

const listSchema = z.strictObject({ webhookId: idField('webhookId').optional() });

/** Recovery jobs: resend every failed delivery of a webhook since a time, rate-bounded. */
@Controller('v1/recoveries')
@UseGuards(ApiKeyGuard)
export class RecoveriesController {
  constructor(private readonly recover: RecoverWebhookUseCase) {}

  @Post()
  @HttpCode(202)
  start(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const input = parseInput(recoverSchema, body);
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
    return this.recover.list(principal, parseInput(listSchema, raw, 'query').webhookId);
  }

  @Get(':recoveryId')
  get(@CurrentPrincipal() principal: Principal, @Param('recoveryId') recoveryId: string) {
    return this.recover.get(principal, recoveryId);
  }
}
