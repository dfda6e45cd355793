// Bundles the admin portal (Preact + plain CSS) into <build dir>/apps/portal/public, which
// subscription-api serves at /admin. Usage: node apps/portal/build.mjs [build dir, default dist]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHelpPage } from './help-page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const outdir = resolve(root, process.argv[2] ?? process.env.HERALD_DIST ?? 'dist', 'apps/portal/public');

mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [resolve(here, 'src/main.tsx')],
  bundle: true,
  outfile: resolve(outdir, 'app.js'),
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'styles.css', 'favicon.svg'])
  copyFileSync(resolve(here, 'src', file), resolve(outdir, file));
const read = (path) => readFileSync(path, 'utf8');
writeFileSync(
  resolve(outdir, 'help.html'),
  renderHelpPage(read(resolve(root, 'README.md')), read(resolve(here, 'src/index.html'))),
);
