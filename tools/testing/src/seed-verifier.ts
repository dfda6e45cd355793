import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface SeedVerifierCase {
  /** The raw request body, exactly as received. */
  payload: string;
  /** The X-Webhook-Signature header value. */
  signature: string;
  /** The webhook secret string as the API shows it. */
  secret: string;
}

/**
 * `sample`: the first sample verifier on the payload as given. The seed's two receivers: `parsed`
 * verifies `JSON.stringify(req.body)` (the body as express.json() parses it) with the first sample;
 * `raw` verifies the raw body with the "Complete Working Example" verifier.
 */
export type SeedVerifierVariant = 'sample' | 'parsed' | 'raw';

const variants: Record<SeedVerifierVariant, { fixture: string; payload: string }> = {
  sample: { fixture: 'mindset-seed-verifier.mjs', payload: 'c.payload' },
  parsed: { fixture: 'mindset-seed-verifier.mjs', payload: 'JSON.stringify(JSON.parse(c.payload))' },
  raw: { fixture: 'mindset-seed-verifier-raw.mjs', payload: 'c.payload' },
};

/**
 * Runs one of the Mindset seed's sample verifiers (fixtures/, unchanged) in a separate Node process
 * on each case; returns its verdicts (an exception counts as false).
 */
export function verifyWithSeedVerifier(cases: SeedVerifierCase[], variant: SeedVerifierVariant = 'sample'): boolean[] {
  const { fixture, payload } = variants[variant];
  const verifier = readFileSync(resolve(__dirname, '../fixtures', fixture), 'utf8');
  // The harness only feeds inputs to the seed's function and prints what it returns.
  const harness = `
const input = JSON.parse((await import('node:fs')).readFileSync(0, 'utf8'));
console.log(JSON.stringify(input.map((c) => { try { return verifyWebhookSignature(${payload}, c.signature, c.secret) === true; } catch { return false; } })));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', `${verifier}\n${harness}`], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`seed verifier failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim()) as boolean[];
}
