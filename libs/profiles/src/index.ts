/**
 * @herald/profiles — seed profiles as data: the documented webhook APIs of MindBridge, Mindset AI and
 * Mindstamp (routes, field names, rules, catalogs), their mapping onto Herald's webhook API and their
 * OpenAPI share. @herald/profile-routes serves them.
 */
export * from './seed-profile';
export * from './profiles';
export * from './profile-mapping';
export * from './catalogs/mindbridge.profile';
export * from './catalogs/mindset.profile';
export * from './catalogs/mindstamp.profile';
export * from './contact.dto';
export * from './profiles-api-part';
export * from './tenant-profile.dto';
export * from './mindstamp/mindstamp-settings.dto';
export * from './mindstamp/mindstamp-routing';
