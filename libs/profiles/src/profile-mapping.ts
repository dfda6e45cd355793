import { z } from 'zod';
import { parseInput } from '@herald/http';
import type { RequestFieldType, SeedProfile } from './seed-profile';

function fieldSchema(name: string, type: RequestFieldType): z.ZodType {
  switch (type.kind) {
    case 'string': {
      let schema = z.string({ error: `${name} must be a string` });
      if (type.min !== undefined) schema = schema.min(type.min, `${name} must be at least ${type.min} characters`);
      if (type.max !== undefined) schema = schema.max(type.max, `${name} must be at most ${type.max} characters`);
      return schema;
    }
    case 'boolean':
      return z.boolean({ error: `${name} must be true or false` });
    case 'enum':
      return z.enum(type.values as [string, ...string[]], {
        error: `${name} must be one of ${type.values.join(', ')}`,
      });
    case 'enumArray':
      return z
        .array(z.enum(type.values as [string, ...string[]]), {
          error: `${name} must be an array of: ${type.values.join(', ')}`,
        })
        .min(type.min ?? 0, `${name} must list at least ${type.min ?? 0} value(s)`);
  }
}

const cache = new WeakMap<SeedProfile, Record<'create' | 'replace' | 'patch', z.ZodType>>();

/**
 * The profile's request body: its documented fields only, each required as documented on create
 * and on a full update (PUT), all optional on a PATCH. `version` guards an update.
 */
export function requestSchemaOf(profile: SeedProfile, mode: 'create' | 'replace' | 'patch'): z.ZodType {
  let schemas = cache.get(profile);
  if (!schemas) {
    const build = (allOptional: boolean, withVersion: boolean) => {
      const shape: Record<string, z.ZodType> = {};
      for (const [name, field] of Object.entries(profile.request)) {
        const schema = fieldSchema(name, field.type);
        shape[name] = field.required && !allOptional ? schema : schema.optional();
      }
      if (withVersion) shape.version = z.number({ error: 'version must be a number' }).int().min(1).optional();
      return z.strictObject(shape);
    };
    schemas = { create: build(false, false), replace: build(false, true), patch: build(true, true) };
    cache.set(profile, schemas);
  }
  return schemas[mode];
}

/** The profile's body validated and renamed to Herald's input (Herald's own schema checks it next). */
export function heraldInputOf(
  profile: SeedProfile,
  body: unknown,
  mode: 'create' | 'replace' | 'patch',
): Record<string, unknown> & { version?: number } {
  const parsed = parseInput(requestSchemaOf(profile, mode), body) as Record<string, unknown>;
  const input: Record<string, unknown> = mode === 'create' ? { ...profile.defaults } : {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    input[name === 'version' ? 'version' : profile.request[name].herald] = value;
  }
  if (mode === 'create') input.signatureProfiles = [...profile.signatureProfiles];
  return input;
}

/** Herald's webhook answer under the profile's documented names. */
export function toProfileResponse(profile: SeedProfile, webhook: Record<string, unknown>): Record<string, unknown> {
  const response: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(profile.response)) {
    if (!(field.from in webhook)) continue;
    const value = webhook[field.from];
    response[name] = typeof value === 'string' && field.values?.[value] ? field.values[value] : value;
  }
  return response;
}
