import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Test code (specs and libs' testing/ harnesses) may use the tools; app builds leave it out.
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/*/src/testing/**'];

const typeConstraints = (libsMayUseTools) => [
  // Apps are composition roots: an app may use libs, never another app; libs never use apps.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: libsMayUseTools ? ['type:lib', 'type:tool'] : ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
];

// A service's composition root pulls only shared libs and its own.
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:subscription-api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:subscription-api'] },
  { sourceTag: 'scope:event-ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:event-ingest'] },
  { sourceTag: 'scope:matcher', onlyDependOnLibsWithTags: ['scope:shared', 'scope:matcher'] },
  { sourceTag: 'scope:deliverer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:deliverer'] },
  { sourceTag: 'scope:audit-log', onlyDependOnLibsWithTags: ['scope:shared', 'scope:audit-log'] },
  { sourceTag: 'scope:portal', onlyDependOnLibsWithTags: ['scope:portal'] },
];

const boundaries = (depConstraints) => [
  'error',
  { enforceBuildableLibDependency: false, banTransitiveDependencies: false, depConstraints },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '.herald', 'coverage', 'tools/kafka', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.base.json', 'apps/portal/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([...typeConstraints(false), ...scopeConstraints]),
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries(typeConstraints(true)) },
  },
];
