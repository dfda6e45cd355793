import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { redeliverEventSchema } from '../replay/redeliver-event.command';
import { RedeliverEventUseCase } from '../replay/redeliver-event.usecase';
import { EventQueries, listEventsQuerySchema } from './event-queries';

/** Events of the caller's tenant as ingested, with their delivery status; redelivery. */
@Controller('v1/messages')
@UseGuards(ApiKeyGuard)
export class EventsController {
  constructor(
    private readonly queries: EventQueries,
    private readonly redeliver: RedeliverEventUseCase,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() raw: unknown) {
    return this.queries.list(principal, parseInput(listEventsQuerySchema, raw, 'query'));
  }

  /** One event with its deliveries per webhook, each with every attempt. */
  @Get(':eventId')
  get(@CurrentPrincipal() principal: Principal, @Param('eventId') eventId: string) {
    return this.queries.get(principal, eventId);
  }

  /** Sends the event again to one webhook (`webhookId`) or to every webhook it went to (admin scope, as every POST). */
  @Post(':eventId/redeliver')
  @HttpCode(202)
  redeliverEvent(@CurrentPrincipal() principal: Principal, @Param('eventId') eventId: string, @Body() body: unknown) {
    const input = parseInput(redeliverEventSchema, body ?? {});
    return this.redeliver.execute({ principal, eventId, webhookId: input.webhookId });
  }
}
