import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiKeyGuard,
  CurrentPrincipal,
  notFound,
  parseInput,
  sessionSeesEventType,
  type Principal,
} from '@herald/http';
import { EventTypeQueries } from './event-type-queries';
import { createEventTypeSchema, listEventTypesQuerySchema } from './event-type.dto';
import { CreateEventTypeUseCase, DeprecateEventTypeUseCase } from '../usecases';

@Controller('v1/event-types')
@UseGuards(ApiKeyGuard)
export class EventTypesController {
  constructor(
    private readonly createEventType: CreateEventTypeUseCase,
    private readonly deprecateEventType: DeprecateEventTypeUseCase,
    private readonly queries: EventTypeQueries,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.createEventType.execute({ principal, input: parseInput(createEventTypeSchema, body) });
  }

  /** The catalog; a portal session limited to event types sees only those. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { includeDeprecated } = parseInput(listEventTypesQuerySchema, query, 'query');
    const { data } = await this.queries.list(includeDeprecated === 'true');
    return { data: data.filter((type) => sessionSeesEventType(principal, type.name)) };
  }

  @Get(':name')
  get(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    if (!sessionSeesEventType(principal, name)) throw notFound(`Event type ${name}`);
    return this.queries.get(name);
  }

  @Post(':name/deprecate')
  @HttpCode(200)
  deprecate(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    return this.deprecateEventType.execute({ principal, name });
  }
}
