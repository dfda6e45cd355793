import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyGuard, CurrentPrincipal, parseInput, RequireScope, type Principal } from '@herald/http';
import { ApiKey } from './api-key.entity';
import { createApiKeySchema, listApiKeysQuerySchema, toApiKeyResponse } from './api-key.dto';
import { CreateApiKeyUseCase } from './create-api-key.usecase';
import { RevokeApiKeyUseCase } from './revoke-api-key.usecase';

/** API keys are credentials: every route, listing included, needs the admin scope. */
@Controller('v1/api-keys')
@UseGuards(ApiKeyGuard)
@RequireScope('admin')
export class ApiKeysController {
  constructor(
    private readonly createApiKey: CreateApiKeyUseCase,
    private readonly revokeApiKey: RevokeApiKeyUseCase,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.createApiKey.execute({ principal, input: parseInput(createApiKeySchema, body) });
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { includeRevoked } = parseInput(listApiKeysQuerySchema, query, 'query');
    const rows = await this.keys.find({
      where: { tenantId: principal.tenantId, ...(includeRevoked === 'true' ? {} : { revokedAt: IsNull() }) },
      order: { id: 'ASC' },
      take: 1000,
    });
    return { data: rows.map(toApiKeyResponse) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.revokeApiKey.execute({ principal, keyId: id });
  }
}
