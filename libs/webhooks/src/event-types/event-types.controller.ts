import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiKeyGuard, CurrentPrincipal, notFound, parseInput, type Principal } from '@herald/http';
import { EventType } from './event-type.entity';
import { createEventTypeSchema, listEventTypesQuerySchema, toEventTypeResponse } from './event-type.dto';
import { ManageEventTypesUseCase } from './event-types.usecase';

@Controller('v1/event-types')
@UseGuards(ApiKeyGuard)
export class EventTypesController {
  constructor(
    private readonly manage: ManageEventTypesUseCase,
    @InjectRepository(EventType) private readonly types: Repository<EventType>,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.manage.create(principal, parseInput(createEventTypeSchema, body));
  }

  @Get()
  async list(@Query() query: unknown) {
    const { includeDeprecated } = parseInput(listEventTypesQuerySchema, query, 'query');
    const rows = await this.types.find({
      where: includeDeprecated === 'true' ? {} : { deprecated: false },
      order: { name: 'ASC' },
    });
    return { data: rows.map(toEventTypeResponse) };
  }

  @Get(':name')
  async get(@Param('name') name: string) {
    const type = await this.types.findOne({ where: { name } });
    if (!type) throw notFound(`Event type ${name}`);
    return toEventTypeResponse(type);
  }

  @Post(':name/deprecate')
  @HttpCode(200)
  deprecate(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    return this.manage.deprecate(principal, name);
  }
}
