/**
 * @herald/api-key-resolver — looks tenant API keys up in PostgreSQL by their hash; used by the
 * services that authenticate against the `api_keys` table (subscription-api, audit-log).
 */
export * from './pg-api-key.resolver';
