import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HeraldError, type Principal } from '@herald/http';
import { CreateEventTypeUseCase } from '@herald/webhooks';
import { PROFILES_SETTINGS, SEED_PROFILES, type ProfilesSettings, type SeedProfileName } from '@herald/profiles';

/** The operator, acting for the deployment: the catalog is shared by every tenant. */
const operator: Principal = {
  tenantId: 'herald',
  scopes: ['admin'],
  keyId: 'seed-profiles',
  keyName: 'seed profiles',
  bootstrap: true,
};

/** Another replica may add the same name first: its 409, or the primary key's unique violation. */
function alreadyThere(error: unknown): boolean {
  if (error instanceof HeraldError) return error.code === 'conflict';
  return (error as { driverError?: { code?: string } })?.driverError?.code === '23505';
}

/** Adds the catalogs of the profiles turned on, through the same use case as POST /v1/event-types; existing names are kept. */
@Injectable()
export class ProfileCatalogSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly createEventType: CreateEventTypeUseCase,
    @Inject(PROFILES_SETTINGS) private readonly settings: ProfilesSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const name of this.settings.enabled) await this.seed(name);
  }

  /** Also called when the operator turns a profile on for one tenant. */
  async seed(name: SeedProfileName): Promise<void> {
    for (const entry of SEED_PROFILES[name].catalog) {
      try {
        await this.createEventType.execute({ principal: operator, input: entry });
      } catch (error) {
        if (!alreadyThere(error)) throw error;
      }
    }
  }
}
