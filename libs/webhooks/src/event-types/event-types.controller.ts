import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
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

  @Get()
  list(@Query() query: unknown) {
    const { includeDeprecated } = parseInput(listEventTypesQuerySchema, query, 'query');
    return this.queries.list(includeDeprecated === 'true');
  }

  @Get(':name')
  get(@Param('name') name: string) {
    return this.queries.get(name);
  }

  @Post(':name/deprecate')
  @HttpCode(200)
  deprecate(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    return this.deprecateEventType.execute({ principal, name });
  }
}
