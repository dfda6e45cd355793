import { z } from 'zod';

/** A message that could not be processed, with the reason, on a `.dlq` topic. */
export const deadLetterSchema = z.object({
  reason: z.string(),
  source: z.object({
    topic: z.string(),
    partition: z.number().int().nullable(),
    offset: z.string().nullable(),
    key: z.string().nullable(),
  }),
  /** The original value as text (it may not have been JSON). */
  value: z.string().nullable(),
  deadLetteredAt: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;
