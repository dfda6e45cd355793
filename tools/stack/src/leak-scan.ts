import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import type { ServiceName } from './services';

/** What a running stack shows an operator or a tenant: every log, every /metrics page, every stored attempt. */
export interface LeakSurfaces {
  /** Where → text (e.g. `log deliverer.log`, `metrics matcher`, `attempt records (database)`). */
  places: Record<string, string>;
}

/**
 * Every place a secret must never appear: service logs, `/metrics` and `delivery_attempts` rows. A service
 * that does not answer is named in `unread`, so a skipped place is never mistaken for a clean one.
 */
export async function collectLeakSurfaces(options: {
  logDir: string;
  /** Service (or replica label, e.g. `deliverer#2`) → base URL. */
  serviceUrls: Partial<Record<ServiceName, string>> & Record<string, string>;
  databaseUrl: string;
}): Promise<LeakSurfaces & { unread: string[] }> {
  const places: Record<string, string> = {};
  const unread: string[] = [];
  if (existsSync(options.logDir)) {
    for (const file of readdirSync(options.logDir))
      places[`log ${file}`] = readFileSync(resolve(options.logDir, file), 'utf8');
  }
  for (const [name, url] of Object.entries(options.serviceUrls)) {
    if (!url) continue;
    try {
      places[`metrics ${name}`] = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    } catch {
      unread.push(`metrics ${name}`);
    }
  }
  const db = new Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    // In pages: a long run's attempts would not fit in one string.
    const pageRows = 50_000;
    for (let page = 0; ; page++) {
      const { rows } = await db.query<{ all: string | null }>(
        `SELECT string_agg(t, '\n') AS all FROM (SELECT row_to_json(a)::text AS t FROM delivery_attempts a
           ORDER BY a.ctid LIMIT ${pageRows} OFFSET ${page * pageRows}) p`,
      );
      if (page > 0 && !rows[0].all) break;
      places[page === 0 ? 'attempt records (database)' : `attempt records (database, page ${page + 1})`] =
        rows[0].all ?? '';
      if ((rows[0].all ?? '').split('\n').length < pageRows) break;
    }
  } finally {
    await db.end();
  }
  return { places, unread };
}

/** Every (secret, place) pair where the secret's text appears: `webhookSecret in log deliverer.log`. */
export function findLeaks(places: Record<string, string>, secrets: Record<string, string | undefined>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(places)) {
    for (const [what, secret] of Object.entries(secrets))
      if (secret && text.includes(secret)) found.push(`${what} in ${where}`);
  }
  return found;
}
