/**
 * @herald/profiles — seed profiles as data: the documented webhook APIs of MindBridge, Mindset AI and
 * Mindstamp (routes, field names, rules, catalogs) served by Herald's one use-case layer, and the tenant
 * contacts directory.
 */
export * from './seed-profile';
export * from './profiles';
export * from './profile-mapping';
export * from './profiles.module';
export * from './catalogs/mindbridge.profile';
export * from './catalogs/mindset.profile';
export * from './catalogs/mindstamp.profile';
export * from './contacts/contact.dto';
