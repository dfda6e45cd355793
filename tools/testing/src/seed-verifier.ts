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
 * Runs the Mindset seed's sample verifier (fixtures/mindset-seed-verifier.mjs, unchanged) in a
 * separate Node process on each case; returns its verdicts (an exception counts as false).
 */
export function verifyWithSeedVerifier(cases: SeedVerifierCase[]): boolean[] {
  const verifier = readFileSync(resolve(__dirname, '../fixtures/mindset-seed-verifier.mjs'), 'utf8');
  // The harness only feeds inputs to the seed's function and prints what it returns.
  const harness = `
const input = JSON.parse((await import('node:fs')).readFileSync(0, 'utf8'));
console.log(JSON.stringify(input.map((c) => { try { return verifyWebhookSignature(c.payload, c.signature, c.secret) === true; } catch { return false; } })));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', `${verifier}\n${harness}`], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`seed verifier failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim()) as boolean[];
}
