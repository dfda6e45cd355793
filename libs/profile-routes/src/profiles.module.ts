import { Module, type DynamicModule } from '@nestjs/common';
import { WebhooksModule } from '@herald/webhooks';
import { ContactDirectory } from './contacts/contact-directory';
import { ContactsController } from './contacts/contacts.controller';
import { UrlTestsController } from './url-tests.controller';
import { ProfileCatalogSeeder } from './profile-catalog-seeder';
import { profileWebhooksController } from './profile-webhooks.controller';
import { ProfileWebhooks } from './profile-webhooks';
import { MindstampController } from './mindstamp/mindstamp.controller';
import { MindstampSettings } from './mindstamp/mindstamp-settings';
import { ProfileAccess } from './tenant-profiles/profile-access';
import { ProfilesController, TenantProfilesController } from './tenant-profiles/tenant-profiles.controller';
import { PROFILES_SETTINGS, SEED_PROFILES, type SeedProfileName } from '@herald/profiles';

// Every profile's routes exist, so a profile that is off answers a 404 that says how to turn it on.
const controllers = Object.values(SEED_PROFILES)
  .filter((p) => p.routes)
  .map(profileWebhooksController);

/**
 * The seed profiles: MindBridge's and Mindset's APIs at their documented paths, Mindstamp's settings,
 * contacts, per-tenant enablement and the profiles' catalogs. `modules` are the app's (subscriptionApiModules).
 */
@Module({})
export class ProfilesModule {
  static forRoot(config: { SEED_PROFILES: SeedProfileName[] }, modules: DynamicModule[]): DynamicModule {
    return {
      module: ProfilesModule,
      imports: modules.filter((m) => m.module === WebhooksModule),
      controllers: [
        ...controllers,
        ContactsController,
        UrlTestsController,
        MindstampController,
        ProfilesController,
        TenantProfilesController,
      ],
      providers: [
        { provide: PROFILES_SETTINGS, useValue: { enabled: config.SEED_PROFILES } },
        ContactDirectory,
        ProfileWebhooks,
        ProfileCatalogSeeder,
        ProfileAccess,
        MindstampSettings,
      ],
    };
  }
}
