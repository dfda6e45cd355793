import { z } from 'zod';
import { crossFieldRules } from './env-fragments';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reports every problem at once, each naming its variable; values are never echoed, as some are secrets. */
export function loadConfig<S extends z.ZodObject<z.ZodRawShape>>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const problems = crossFieldRules
    .filter((rule) => rule.keys.every((key) => key in schema.shape))
    .map((rule) => rule.check(result.data as Record<string, unknown>))
    .filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

/** Loads the config or prints the problem and exits; for use in an app's main.ts. */
export function loadConfigOrExit<S extends z.ZodObject<z.ZodRawShape>>(
  schema: S,
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', service, msg: error.message, problems: error.problems })}\n`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
