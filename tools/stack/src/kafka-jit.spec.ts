import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './paths';

describe('tools/kafka/kafka.sh KAFKA_JIT', () => {
  const home = mkdtempSync(join(tmpdir(), 'herald-kafka-jit-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  // `status` reads the settings and reports a stopped broker (exit 1) without starting anything.
  const status = (jit: string) =>
    spawnSync('bash', [resolve(repoRoot, 'tools/kafka/kafka.sh'), 'status'], {
      env: { ...process.env, HERALD_HOME: home, KAFKA_JIT: jit },
      encoding: 'utf8',
    });

  it.each(['c1', 'tiered'])('takes KAFKA_JIT=%s', (jit) => {
    const run = status(jit);
    expect(run.stderr).not.toContain('error');
    expect(run.stdout.trim()).toBe('stopped');
  });

  it('refuses any other mode, naming the value and the ones it takes', () => {
    const run = status('c2');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('KAFKA_JIT=c2 is not supported (use c1 or tiered)');
  });
});
