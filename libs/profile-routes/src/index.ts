/**
 * @herald/profile-routes — serves the seed profiles (@herald/profiles) over Herald's webhook use cases:
 * their documented routes, the tenant contacts directory and the seeding of their catalogs.
 */
export * from './profiles.module';
export * from './profile-webhooks.controller';
export { ContactsController } from './contacts/contacts.controller';
export { UrlTestsController } from './url-tests.controller';
export { MindstampController } from './mindstamp/mindstamp.controller';
export { ProfilesController, TenantProfilesController } from './tenant-profiles/tenant-profiles.controller';
