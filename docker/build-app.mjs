// Builds one service for its container image, and is what CI runs to prove the image's build
// steps work without Docker (tools/deploy/check-image-build.mjs). Usage:
//   node docker/build-app.mjs <app> <output dir> [--production-modules-from <dir>]
// (the last option, for CI's check of all five images: link the production node_modules that
// an earlier run installed from the same lockfile instead of installing them again)
// The output dir then holds dist/ (compiled by the app's own Nx build command), node_modules/
// with production dependencies only (as pinned by package-lock.json) and main.js, the entry.
import { execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = ['subscription-api', 'event-ingest', 'matcher', 'deliverer', 'audit-log'];
// Projects bundled into a service's image besides its own build: subscription-api serves the portal.
const BUNDLED = { 'subscription-api': ['portal'] };

const [app, outArg, option, reuseFrom] = process.argv.slice(2);
if (
  !SERVICES.includes(app) ||
  !outArg ||
  (option !== undefined && (option !== '--production-modules-from' || !reuseFrom))
) {
  console.error(
    `usage: node docker/build-app.mjs <${SERVICES.join('|')}> <output dir> [--production-modules-from <dir>]`,
  );
  process.exit(64);
}
const out = isAbsolute(outArg) ? outArg : resolve(process.cwd(), outArg);
const run = (cmd, cwd = root) => execSync(cmd, { cwd, stdio: 'inherit' });

/** The project's own Nx build command, writing to <out>/dist instead of dist. */
function buildCommand(project) {
  const command = JSON.parse(readFileSync(resolve(root, 'apps', project, 'project.json'), 'utf8')).targets.build.options
    .command;
  const retargeted = command.replace(/(-d |\s)dist(\s|$)/, `$1${JSON.stringify(resolve(out, 'dist'))}$2`);
  if (retargeted === command)
    throw new Error(`apps/${project}/project.json: build command does not write to dist: ${command}`);
  return retargeted;
}

mkdirSync(out, { recursive: true });
for (const project of [
  app,
  ...(BUNDLED[app] ?? []).filter((p) => existsSync(resolve(root, 'apps', p, 'project.json'))),
]) {
  console.log(`> ${project}: ${buildCommand(project)}`);
  run(buildCommand(project));
}
// Runtime files swc does not copy (the admin gRPC service's .proto files), at the same place in dist/.
const ASSETS = /\.proto$/;
function copyAssets(dir) {
  for (const entry of readdirSync(resolve(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') copyAssets(path);
    else if (entry.isFile() && ASSETS.test(entry.name)) {
      mkdirSync(dirname(resolve(out, 'dist', path)), { recursive: true });
      copyFileSync(resolve(root, path), resolve(out, 'dist', path));
    }
  }
}
copyAssets('libs');
copyAssets(join('apps', app));
for (const file of ['package.json', 'package-lock.json']) copyFileSync(resolve(root, file), resolve(out, file));
// npm ci would be the usual choice, but it refuses this lockfile (platform-only optional swc and
// resolver binaries are not in it); npm install honours the lock's versions all the same.
// No install scripts: no production dependency needs one to run.
if (reuseFrom) symlinkSync(resolve(reuseFrom, 'node_modules'), resolve(out, 'node_modules'));
else run('npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error', out);
writeFileSync(resolve(out, 'main.js'), `// Entry of the ${app} image.\nrequire('./dist/apps/${app}/src/main.js');\n`);
console.log(`> ${app} built into ${out}`);
