import { z } from 'zod';

/** Query-string fields shared by the log's list endpoints. */
export const timeRangeFields = {
  since: z.iso.datetime({ offset: true, error: 'since must be an ISO 8601 date-time' }).optional(),
  until: z.iso.datetime({ offset: true, error: 'until must be an ISO 8601 date-time' }).optional(),
};

export const pageFields = {
  limit: z.coerce
    .number()
    .int('limit must be 1-100')
    .min(1, 'limit must be 1-100')
    .max(100, 'limit must be 1-100')
    .default(50),
  cursor: z.string().max(300, 'cursor must be at most 300 characters').optional(),
};

export const idField = (name: string) => z.string().min(1).max(128, `${name} must be at most 128 characters`);
