import { Controller, Delete, Get, Param, Put, UseGuards } from '@nestjs/common';
import { tenantIdSchema } from '@herald/contracts';
import { ApiKeyGuard, ApiKeysOnly, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { profileNameSchema } from '@herald/profiles';
import { ProfileAccess, assertOperator } from './profile-access';

const tenantOf = (id: string) => parseInput(tenantIdSchema, id, 'tenantId');
const profileOf = (name: string) => parseInput(profileNameSchema, name, 'profile');

/** The caller's profiles: what the portal shows (e.g. the Mindstamp settings page). */
@Controller('v1/profiles')
@UseGuards(ApiKeyGuard)
export class ProfilesController {
  constructor(private readonly access: ProfileAccess) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.access.list(principal.tenantId) };
  }
}

/** The operator turns a seed profile on or off for one tenant. */
@Controller('v1/tenants/:tenantId/profiles')
@UseGuards(ApiKeyGuard)
@ApiKeysOnly()
export class TenantProfilesController {
  constructor(private readonly access: ProfileAccess) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Param('tenantId') tenantId: string) {
    assertOperator(principal);
    return { data: await this.access.list(tenantOf(tenantId)) };
  }

  @Put(':profile')
  async enable(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Param('profile') profile: string,
  ) {
    assertOperator(principal);
    return { data: await this.access.enable(principal, tenantOf(tenantId), profileOf(profile)) };
  }

  @Delete(':profile')
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Param('profile') profile: string,
  ) {
    assertOperator(principal);
    return { data: await this.access.disable(principal, tenantOf(tenantId), profileOf(profile)) };
  }
}
