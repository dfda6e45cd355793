/**
 * @herald/config — typed configuration, read from the environment and validated once at start.
 * A bad value stops the process with a message that names the variable.
 */
export * from './load-config';
export * from './env-fragments';
