import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChaosResult } from '@herald/chaos';
import { distDir, freePort, heraldHome, repoRoot } from '@herald/stack';

// The short chaos run, as `npm run chaos -- --short` runs it (a separate Node process: the
// embedded PostgreSQL package is ESM, which jest's CommonJS runtime cannot load). It has its
// own Kafka and PostgreSQL, since it stops and restarts them, so it never disturbs the test
// infrastructure the other suites share.
jest.setTimeout(15 * 60_000);

describe('chaos (short form)', () => {
  let result: ChaosResult;

  beforeAll(async () => {
    execFileSync(
      'npx',
      ['swc', 'tools/chaos/src', '--config-file', '.swcrc', '-d', distDir, '--quiet', '--ignore', '**/*.spec.ts'],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
    const home = heraldHome('chaos-e2e');
    const out = resolve(home, 'result.json');
    const env = {
      ...process.env,
      CHAOS_KAFKA_PORT: String(await freePort()),
      CHAOS_KAFKA_CONTROLLER_PORT: String(await freePort()),
      CHAOS_POSTGRES_PORT: String(await freePort()),
    };
    const child = spawn(
      process.execPath,
      [resolve(distDir, 'tools/chaos/src/main.js'), '--short', '--home', home, '--out', out],
      { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    await new Promise((r) => child.on('exit', r));
    result = JSON.parse(readFileSync(out, 'utf8')) as ChaosResult;
  });

  it('injects crashes, a broker and a database restart, a rebalance and flapping receivers under load', () => {
    const injected = result.faults.filter((f) => !f.skipped);
    expect(injected.map((f) => f.kind).sort()).toEqual([
      'flapping',
      'kafka-restart',
      'kill',
      'postgres-restart',
      'rebalance',
    ]);
    expect(injected.every((f) => f.ok)).toBe(true);
    expect(result.published).toBeGreaterThan(100);
    // Every kind of misbehaviour met real deliveries: 500s, resets, hangs and slow bodies.
    const { ok, ...refused } = result.flappingRequests;
    expect(ok).toBeGreaterThan(0);
    for (const [mode, requests] of Object.entries(refused))
      expect({ mode, met: requests > 0 }).toEqual({ mode, met: true });
  });

  it('loses nothing: every published event reached every matching webhook', () => {
    expect(result.lostSample).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.confirmed).toBe(result.expectedDeliveries);
    expect(result.misdelivered).toBe(0);
  });

  it('keeps publish order per (webhook, orderingKey) on the keyed share of the load', () => {
    expect(result.ordering.keyedPublished).toBeGreaterThan(20);
    expect(result.ordering.keyedConfirmed).toBeGreaterThan(20);
    expect(result.ordering.outOfOrderSample).toEqual([]);
    expect(result.ordering.outOfOrder).toBe(0);
  });

  it('records every confirmed delivery in the audit log', () => {
    expect(result.audit.confirmedWithoutSuccessRecord).toBe(0);
    expect(result.audit.byOutcome.success ?? 0).toBeGreaterThanOrEqual(result.confirmed);
  });

  it('leaves no secret in any log, /metrics page or stored attempt after the faults', () => {
    // Bootstrap key, the load's tenant key, and each webhook's signing secret and header value.
    expect(result.secrets.checked).toBeGreaterThanOrEqual(2 + 5 * 2);
    expect(result.secrets.unread).toEqual([]);
    // Five service logs, five /metrics pages and the attempts table, at the least.
    expect(result.secrets.placesScanned).toBeGreaterThanOrEqual(11);
    expect(result.secrets.leaks).toEqual([]);
  });
});
