import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, ApiKeysOnly, CurrentPrincipal, parseInput, RequireScope, type Principal } from '@herald/http';
import { ApiKeyQueries } from './api-key-queries';
import { createApiKeySchema, listApiKeysQuerySchema } from './api-key.dto';
import { CreateApiKeyUseCase, RevokeApiKeyUseCase } from '../usecases';

/** API keys are credentials: every route, listing included, needs the admin scope and an API key (no portal session). */
@Controller('v1/api-keys')
@UseGuards(ApiKeyGuard)
@RequireScope('admin')
@ApiKeysOnly()
export class ApiKeysController {
  constructor(
    private readonly createApiKey: CreateApiKeyUseCase,
    private readonly revokeApiKey: RevokeApiKeyUseCase,
    private readonly queries: ApiKeyQueries,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.createApiKey.execute({ principal, input: parseInput(createApiKeySchema, body) });
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { includeRevoked } = parseInput(listApiKeysQuerySchema, query, 'query');
    return this.queries.list(principal, includeRevoked === 'true');
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.revokeApiKey.execute({ principal, keyId: id });
  }
}
