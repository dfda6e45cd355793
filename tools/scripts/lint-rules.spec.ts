import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// The repo's own lint config must refuse each boundary issue 18 asks for (and pass clean code).
// ESLint and Prettier load ESM configs, which jest's VM cannot: they run as the CLI does.
const root = resolve(__dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const run = (cmd: string, args: string[], input?: string) =>
  spawnSync(cmd, args, { cwd: root, input, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });

const ruleIdsOf = (code: string, filePath: string): string[] => {
  const result = run(bin('eslint'), ['--format', 'json', '--stdin', '--stdin-filename', filePath], code);
  const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null }> }>;
  return report.messages.map((message) => String(message.ruleId));
};

describe('npm run lint', () => {
  jest.setTimeout(180_000);
  let dir: string;
  beforeAll(() => {
    run('npx', ['nx', 'show', 'projects']); // the module-boundary rule reads Nx's project graph
    dir = mkdtempSync(join(root, 'libs/config/src/lint-probe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a lib importing a tool outside testing/ and specs, and allows it in a spec', () => {
    const code = "import { startTestInfra } from '@herald/testing';\nexport const probe = startTestInfra;\n";
    expect(ruleIdsOf(code, 'libs/matching/src/lint-probe.ts')).toContain('@nx/enforce-module-boundaries');
    expect(ruleIdsOf(code, 'libs/matching/src/lint-probe.spec.ts')).not.toContain('@nx/enforce-module-boundaries');
  });

  it("refuses an app importing a lib outside its scope, and allows its own scope's lib", () => {
    const foreign = "import { DeliveryModule } from '@herald/delivery';\nexport const probe = DeliveryModule;\n";
    expect(ruleIdsOf(foreign, 'apps/matcher/src/lint-probe.ts')).toContain('@nx/enforce-module-boundaries');
    const own = "import { MatchingModule } from '@herald/matching';\nexport const probe = MatchingModule;\n";
    expect(ruleIdsOf(own, 'apps/matcher/src/lint-probe.ts')).not.toContain('@nx/enforce-module-boundaries');
  });

  it('refuses an import cycle', () => {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = (): number => b();\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = (): number => a();\n");
    const result = run(bin('eslint'), ['--format', 'json', relative(root, join(dir, 'a.ts'))]);
    const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null }> }>;
    expect(report.messages.map((message) => message.ruleId)).toContain('import-x/no-cycle');
  });

  it('refuses unformatted code and passes formatted code (Prettier, the repo config)', () => {
    writeFileSync(join(dir, 'ugly.ts'), 'export const probe = {a:1,\n  b :2};\n');
    writeFileSync(join(dir, 'tidy.ts'), 'export const probe = { a: 1, b: 2 };\n');
    expect(run(bin('prettier'), ['--check', relative(root, join(dir, 'ugly.ts'))]).status).toBe(1);
    expect(run(bin('prettier'), ['--check', relative(root, join(dir, 'tidy.ts'))]).status).toBe(0);
  });
});
