import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod';
import { isOperationalEventType, type EventTypeDefinition } from '@herald/contracts';
import { OPERATIONAL_CATALOG } from '@herald/operational-webhooks';
import type { EventType } from './event-type.entity';

// One compiler to check that a submitted schema is itself a valid JSON Schema.
const schemaChecker = new Ajv2020({ strict: false, allErrors: false });

const jsonSchemaSchema = z
  .record(z.string(), z.unknown(), { error: 'schema must be a JSON Schema object' })
  .refine((s) => JSON.stringify(s).length <= 65_536, 'schema must be at most 65536 bytes as JSON')
  .superRefine((schema, ctx) => {
    try {
      schemaChecker.compile(schema);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `schema is not a valid JSON Schema: ${(error as Error).message}` });
    }
  });

export const createEventTypeSchema = z.strictObject({
  // The same alphabet event-ingest accepts for eventType.
  name: z
    .string({ error: 'name is required' })
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/,
      'name must be 1-128 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
    )
    .superRefine((name, ctx) => {
      if (isOperationalEventType(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `name "${name}" is reserved: Herald defines it (operational webhooks)`,
        });
      }
    }),
  description: z.string().max(1000, 'description must be at most 1000 characters').nullable().optional(),
  schema: jsonSchemaSchema.nullable().optional(),
});
export type CreateEventTypeInput = z.infer<typeof createEventTypeSchema>;

export const listEventTypesQuerySchema = z.strictObject({
  includeDeprecated: z.enum(['true', 'false'], { error: 'includeDeprecated must be true or false' }).optional(),
});

export function toEventTypeResponse(t: EventType) {
  return {
    name: t.name,
    description: t.description,
    schema: t.schema,
    deprecated: t.deprecated,
    version: t.version,
    creationDate: t.createdAt.toISOString(),
    lastModifiedDate: t.updatedAt.toISOString(),
  };
}

export function toEventTypeDefinition(t: EventType): EventTypeDefinition {
  return {
    name: t.name,
    description: t.description,
    schema: t.schema,
    deprecated: t.deprecated,
    version: t.version,
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** The operational types as catalog entries: part of Herald, listed beside the declared ones. */
export const operationalEventTypeResponses = OPERATIONAL_CATALOG.map((entry) => ({
  name: entry.name,
  description: entry.description,
  schema: entry.schema,
  deprecated: false,
  version: 1,
  creationDate: entry.definedAt.toISOString(),
  lastModifiedDate: entry.definedAt.toISOString(),
}));
