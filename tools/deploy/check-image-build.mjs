// The images' CI check without Docker: hadolint, then each service built as the Dockerfile does and started
// with production dependencies only, which must stop at its configuration check (exit 78).
// Usage: node tools/deploy/check-image-build.mjs [service ...]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { hadolint, root } from './tools.mjs';

const SERVICES = ['subscription-api', 'event-ingest', 'matcher', 'deliverer', 'audit-log'];

/** .dockerignore patterns as regular expressions over root-relative paths (Docker's rules: `*` within a segment, `**` across). */
function dockerignore() {
  const patterns = readFileSync(resolve(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!')))
    throw new Error('.dockerignore exceptions (!) are not supported by this check');
  const toRegex = (p) =>
    new RegExp(
      `^${p
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '.*'
            : seg
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?')}(?:/.*)?$`,
    );
  const regexes = patterns.map(toRegex);
  return (path) => regexes.some((r) => r.test(path));
}

/** The files `COPY . .` would send: what git has (tracked or not ignored), less .dockerignore. */
function buildContext() {
  const ignored = dockerignore();
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && !ignored(f));
  const dir = mkdtempSync(join(tmpdir(), 'herald-image-context-'));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(resolve(root, file), join(dir, file));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error; // deleted in the working tree, still in the index
    }
  }
  // The build stage's `npm install` of the same lockfile; reused rather than downloaded again.
  symlinkSync(resolve(root, 'node_modules'), join(dir, 'node_modules'));
  return { dir, count: files.length };
}

function testFilesIn(dir) {
  return readdirSync(dir, { recursive: true }).filter((path) =>
    /(^|\/)testing\/|\.(int-)?spec\.js$/.test(String(path)),
  );
}

const failures = [];
const services = process.argv.slice(2).length > 0 ? process.argv.slice(2) : SERVICES;

const lint = spawnSync(hadolint(), [resolve(root, 'docker/Dockerfile')], { encoding: 'utf8' });
if (lint.status === 0) console.log('ok   hadolint docker/Dockerfile');
else {
  failures.push('hadolint');
  console.log(`FAIL hadolint docker/Dockerfile\n${lint.stdout}${lint.stderr}`);
}

const context = buildContext();
console.log(`     build context: ${context.count} files after .dockerignore`);
try {
  let installedIn;
  for (const app of services) {
    const out = join(context.dir, '.image', app);
    const started = Date.now();
    // The production install is the same for every image: done once, copied for the others.
    const reuse = installedIn ? ['--production-modules-from', installedIn] : [];
    const build = spawnSync('node', ['docker/build-app.mjs', app, out, ...reuse], {
      cwd: context.dir,
      encoding: 'utf8',
    });
    if (build.status !== 0) {
      failures.push(`${app} build`);
      console.log(`FAIL ${app}: docker/build-app.mjs exited ${build.status}\n${build.stdout}${build.stderr}`);
      continue;
    }
    // Test code (specs, libs' testing/ harnesses that import the tools) stays out of images.
    const testCode = testFilesIn(join(out, 'dist'));
    if (testCode.length > 0) {
      failures.push(`${app} test code`);
      console.log(`FAIL ${app}: the build holds test code: ${testCode.slice(0, 5).join(', ')}`);
      continue;
    }
    // PORT is refused on purpose: reaching the config check proves every import resolved.
    const start = spawnSync('node', ['main.js'], {
      cwd: out,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: 'not-a-port' },
    });
    const output = `${start.stdout}${start.stderr}`;
    if (start.status === 78 && output.includes('PORT: must be a port number')) {
      installedIn ??= out;
      console.log(
        `ok   ${app}: built with production dependencies only and started to its config check (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    } else {
      failures.push(`${app} start`);
      console.log(`FAIL ${app}: expected exit 78 naming PORT, got ${start.status}\n${output.slice(0, 2000)}`);
    }
  }
} finally {
  rmSync(context.dir, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`\nimage build check failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nimage build check passed');
