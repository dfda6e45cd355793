/**
 * @herald/ssrf — keeps Herald from being used to reach internal networks: classifies IP
 * addresses, applies an operator allow-list of CIDR ranges, checks webhook URLs when they are
 * created, and guards every outbound connection at send time (resolve, check, connect to the
 * checked address).
 */
export * from './address-policy';
export * from './ssrf-blocked.error';
export * from './guarded-lookup';
export * from './guarded-connector';
export * from './public-url';
