import { resolve } from 'node:path';

/** The repository root (this file is at tools/stack/src, or dist/tools/stack/src once built). */
export const repoRoot = resolve(__dirname, __dirname.includes(`${'/'}dist${'/'}`) ? '../../../..' : '../../..');

/** Where local state lives (git-ignored). */
export const heraldHome = (sub?: string) =>
  resolve(process.env.HERALD_HOME ?? resolve(repoRoot, '.herald'), ...(sub ? [sub] : []));
