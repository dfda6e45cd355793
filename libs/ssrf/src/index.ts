/**
 * @herald/ssrf — keeps Herald from reaching internal networks: checks webhook URLs at creation, and every
 * outbound connection at send time (resolve, check, connect to the checked address).
 */
export * from './address-policy';
export * from './ssrf-blocked.error';
export * from './guarded-lookup';
export * from './guarded-connector';
export * from './public-url';
