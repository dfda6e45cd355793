import { z } from 'zod';

/** A catalog entry on compacted `webhooks.event-types` (key: name); ingest validates `data` against it. */
export const eventTypeDefinitionSchema = z.object({
  name: z.string().min(1),
  description: z.string().nullable().default(null),
  /** A JSON Schema (draft 2020-12 or 07) for the event's `data`; null = any object. */
  schema: z.record(z.string(), z.unknown()).nullable().default(null),
  /** Deprecated types still ingest and deliver; new webhooks cannot subscribe to them. */
  deprecated: z.boolean().default(false),
  version: z.number().int().positive(),
  updatedAt: z.string(),
});
export type EventTypeDefinition = z.infer<typeof eventTypeDefinitionSchema>;
