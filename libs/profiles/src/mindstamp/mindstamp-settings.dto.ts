import { z } from 'zod';
import { MINDSTAMP_EVENTS } from '../catalogs/mindstamp.profile';

export type MindstampKind = (typeof MINDSTAMP_EVENTS)[number];

export const mindstampVideoIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'videoId must be 1-64 letters, digits, "_" or "-"');

/** Blank (empty, spaces or null) means "no URL": the account's, or none at account level. */
function blankOr(url: z.ZodType<string>) {
  return z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? null : v), url.nullable());
}

// Only a wrong type gets this wording; unknown keys keep zod's message, which names them.
const typeError = (expected: string) => (issue: { code: string }) =>
  issue.code === 'invalid_type' ? `must be ${expected}` : undefined;

function perKind<T extends z.ZodType>(schema: T) {
  return Object.fromEntries(MINDSTAMP_EVENTS.map((kind) => [kind, schema])) as Record<MindstampKind, T>;
}

/** The request and answer schemas, given Herald's webhook URL rule (http(s), a host name, no credentials). */
export function mindstampSchemas(url: z.ZodType<string>) {
  const accountUrls = z.strictObject(perKind(blankOr(url).optional()), {
    error: typeError('an object with view, interaction and/or lead'),
  });
  const putIntegration = z.strictObject({ urls: accountUrls });
  const videoKind = z.strictObject(
    {
      enabled: z.boolean({ error: 'enabled must be true or false' }),
      url: blankOr(url).optional(),
    },
    { error: typeError('an object: {"enabled": true|false, "url": optional override}') },
  );
  const putVideo = z.strictObject(perKind(videoKind.optional()));
  const urlTest = z.strictObject({
    url,
    kind: z.enum(MINDSTAMP_EVENTS, { error: `kind must be one of ${MINDSTAMP_EVENTS.join(', ')}` }),
    videoId: mindstampVideoIdSchema.optional(),
  });

  const timestamp = z.string().describe('ISO 8601');
  const integration = z.strictObject({
    urls: z.strictObject(perKind(z.string().nullable())),
    xKeyGeneratedAt: timestamp.nullable().describe('When the X-KEY was generated or last rotated; null: not yet'),
    lastModifiedDate: timestamp.nullable(),
  });
  const xKey = z.strictObject({
    xKey: z.string().describe('Sent as the X-KEY header of every Mindstamp delivery'),
    xKeyGeneratedAt: timestamp,
  });
  const videoKindAnswer = z.strictObject({
    enabled: z.boolean(),
    url: z.string().nullable().describe('The override; null: the account URL'),
    deliveredTo: z.string().nullable().describe('Where this kind goes now (null: off, or no URL at either level)'),
  });
  const video = z.strictObject({
    videoId: z.string(),
    ...perKind(videoKindAnswer),
    creationDate: timestamp,
    lastModifiedDate: timestamp,
  });
  return {
    putIntegration,
    putVideo,
    urlTest,
    integration,
    xKey,
    video,
    videoList: z.strictObject({ data: z.array(video) }),
  };
}

export type MindstampSchemas = ReturnType<typeof mindstampSchemas>;
export type PutMindstampIntegration = z.infer<MindstampSchemas['putIntegration']>;
export type PutMindstampVideo = z.infer<MindstampSchemas['putVideo']>;
export type MindstampUrlTest = z.infer<MindstampSchemas['urlTest']>;
export type MindstampVideo = z.infer<MindstampSchemas['video']>;

/** Stored per video: each kind opted in or not, with its override URL (null: the account URL). */
export type MindstampVideoKinds = Partial<Record<MindstampKind, { enabled: boolean; url: string | null }>>;
export type MindstampAccountUrls = Partial<Record<MindstampKind, string | null>>;
