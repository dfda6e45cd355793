import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { AttemptQueries, listAttemptsQuerySchema } from './attempt-queries';

/** Attempts of the caller's tenant: filter by webhook, event, delivery, outcome and time. */
@Controller('v1/attempts')
@UseGuards(ApiKeyGuard)
export class AttemptsController {
  constructor(private readonly queries: AttemptQueries) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() raw: unknown) {
    return this.queries.list(principal, parseInput(listAttemptsQuerySchema, raw, 'query'));
  }

  /** One attempt in full: request (secrets redacted) and response. */
  @Get(':attemptId')
  get(@CurrentPrincipal() principal: Principal, @Param('attemptId') attemptId: string) {
    return this.queries.get(principal, attemptId);
  }
}
