import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseGuards, type Type } from '@nestjs/common';
import { ApiKeyGuard, ApiKeysOnly, CurrentPrincipal, type Principal } from '@herald/http';
import { ProfileWebhooks } from './profile-webhooks';
import type { SeedProfile } from '@herald/profiles';

/** One controller class per profile with routes, at the profile's documented paths; all share ProfileWebhooks. */
export function profileWebhooksController(profile: SeedProfile): Type<unknown> {
  const routes = profile.routes;
  if (!routes) throw new Error(`profile ${profile.name} has no webhook routes`);

  @Controller(routes.collection)
  @UseGuards(ApiKeyGuard)
  @ApiKeysOnly()
  class ProfileWebhooksController {
    constructor(readonly webhooks: ProfileWebhooks) {}

    @Post()
    create(@CurrentPrincipal() principal: Principal, @Param() params: Record<string, string>, @Body() body: unknown) {
      return this.webhooks.create(profile, principal, params, body);
    }

    @Get()
    list(@CurrentPrincipal() principal: Principal, @Param() params: Record<string, string>) {
      return this.webhooks.list(profile, principal, params);
    }

    @Get(':webhookId')
    get(@CurrentPrincipal() principal: Principal, @Param() params: Record<string, string>) {
      return this.webhooks.get(profile, principal, params, params.webhookId);
    }

    update(@CurrentPrincipal() principal: Principal, @Param() params: Record<string, string>, @Body() body: unknown) {
      return this.webhooks.update(profile, principal, params, params.webhookId, body);
    }

    @Delete(':webhookId')
    @HttpCode(204)
    async remove(@CurrentPrincipal() principal: Principal, @Param() params: Record<string, string>) {
      await this.webhooks.remove(profile, principal, params, params.webhookId);
    }
  }

  // The update verb is the profile's (MindBridge replaces with PUT, Mindset patches).
  const update = Object.getOwnPropertyDescriptor(ProfileWebhooksController.prototype, 'update')!;
  (routes.update === 'PUT' ? Put : Patch)(':webhookId')(ProfileWebhooksController.prototype, 'update', update);
  Object.defineProperty(ProfileWebhooksController, 'name', {
    value: `${profile.title.replace(/\W/g, '')}WebhooksController`,
  });
  return ProfileWebhooksController;
}
