import { basename, resolve } from 'node:path';

/** The repository root (this file is at tools/stack/src, or <build dir>/tools/stack/src once built). */
export const repoRoot = resolve(
  __dirname,
  basename(resolve(__dirname, '../../..')).startsWith('dist') ? '../../../..' : '../../..',
);

/**
 * The swc build directory: `dist/` unless HERALD_DIST names another (relative to the repo root),
 * so several working copies of the test suite can build and run side by side.
 */
export const distDir = resolve(repoRoot, process.env.HERALD_DIST ?? 'dist');

/** Where local state lives (git-ignored). */
export const heraldHome = (sub?: string) =>
  resolve(process.env.HERALD_HOME ?? resolve(repoRoot, '.herald'), ...(sub ? [sub] : []));
