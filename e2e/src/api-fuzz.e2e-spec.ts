import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from '@herald/stack';
import { TEST_ADMIN_KEY, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(15 * 60_000);

/** Examples per operation: enough to hit every field's bounds and types, bounded in time. */
const MAX_EXAMPLES = 15;

/**
 * Property-based fuzz of the admin API from its own OpenAPI document (schemathesis, installed
 * from PyPI into a git-ignored virtualenv by tools/scripts/ensure-schemathesis.mjs): whatever
 * it sends, no answer is a 5xx.
 */
describe('admin API fuzz (schemathesis)', () => {
  let stack: TestStack;
  let schemathesis: string;

  beforeAll(async () => {
    schemathesis = execFileSync(process.execPath, [resolve(repoRoot, 'tools/scripts/ensure-schemathesis.mjs')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers no generated request with a server error', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
      execFile(
        schemathesis,
        [
          'run',
          `${stack.gatewayUrl}/openapi.json`,
          '--url',
          stack.gatewayUrl,
          '--header',
          `Authorization: Bearer ${TEST_ADMIN_KEY}`,
          '--checks',
          'not_a_server_error',
          '--phases',
          'examples,fuzzing',
          '--max-examples',
          String(MAX_EXAMPLES),
          '--workers',
          '1',
          '--request-timeout',
          '20',
          '--generation-deterministic',
          '--no-color',
        ],
        { timeout: 12 * 60_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
      );
    });
    if (code !== 0) process.stdout.write(output);
    expect(output).toMatch(/API Operations|operations/i);
    expect({ code, serverErrors: output.match(/Server error[^\n]*/g) ?? [] }).toEqual({ code: 0, serverErrors: [] });
  });
});
