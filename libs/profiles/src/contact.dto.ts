import { z } from 'zod';

export const contactIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, 'contact id must be 1-128 letters, digits or "_.:@-"');

export const putContactSchema = z.strictObject({
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, 'name must not be empty')
    .max(100, 'name must be at most 100 characters')
    // eslint-disable-next-line no-control-regex -- refusing control characters (PostgreSQL text cannot hold NUL)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'name must not contain control characters'),
  email: z.email({ error: 'email must be an e-mail address' }),
});
export type PutContactInput = z.infer<typeof putContactSchema>;

export interface Contact {
  id: string;
  name: string;
  email: string;
  creationDate: string;
  lastModifiedDate: string;
}

export interface ContactRow {
  id: string;
  name: string;
  email: string;
  created_at: Date;
  updated_at: Date;
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    creationDate: row.created_at.toISOString(),
    lastModifiedDate: row.updated_at.toISOString(),
  };
}
