import { Module, type DynamicModule } from '@nestjs/common';
import { WebhooksModule } from '@herald/webhooks';
import { ContactDirectory } from './contacts/contact-directory';
import { ContactsController } from './contacts/contacts.controller';
import { UrlTestsController } from './url-tests.controller';
import { ProfileCatalogSeeder } from './profile-catalog-seeder';
import { profileWebhooksController } from './profile-webhooks.controller';
import { ProfileWebhooks } from './profile-webhooks';
import { PROFILES_SETTINGS, SEED_PROFILES, type SeedProfileName } from '@herald/profiles';

// Every profile's routes exist, so a profile that is off answers a 404 that says how to turn it on.
const controllers = Object.values(SEED_PROFILES)
  .filter((p) => p.routes)
  .map(profileWebhooksController);

/**
 * The seed profiles: MindBridge's and Mindset's webhook APIs at their documented paths, the tenant
 * contacts directory, and the catalogs of the profiles turned on. `modules` are the app's
 * (subscriptionApiModules): this module uses the WebhooksModule among them.
 */
@Module({})
export class ProfilesModule {
  static forRoot(config: { SEED_PROFILES: SeedProfileName[] }, modules: DynamicModule[]): DynamicModule {
    return {
      module: ProfilesModule,
      imports: modules.filter((m) => m.module === WebhooksModule),
      controllers: [...controllers, ContactsController, UrlTestsController],
      providers: [
        { provide: PROFILES_SETTINGS, useValue: { enabled: config.SEED_PROFILES } },
        ContactDirectory,
        ProfileWebhooks,
        ProfileCatalogSeeder,
      ],
    };
  }
}
