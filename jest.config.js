// Three projects: unit (*.spec.ts, no infrastructure), integration (*.int-spec.ts, real Kafka
// and PostgreSQL) and e2e (e2e/**/*.e2e-spec.ts, the five services as real processes).
const swc = [
  '@swc/jest',
  {
    // Not .swcrc: its path rewriting is for the build; jest resolves @herald/* itself.
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // @marcbachmann/cel-js ships ES modules only: jest runs CommonJS, so swc converts it too.
  transform: { '^.+\\.ts$': swc, '/node_modules/@marcbachmann/cel-js/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  moduleNameMapper: {
    '^@herald/testing$': '<rootDir>/tools/testing/src/index.ts',
    '^@herald/stack$': '<rootDir>/tools/stack/src/index.ts',
    '^@herald/chaos$': '<rootDir>/tools/chaos/src/index.ts',
    '^@herald/(.*)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.herald/'],
};

module.exports = {
  globalSetup: '<rootDir>/tools/testing/global-setup.js',
  globalTeardown: '<rootDir>/tools/testing/global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int-spec.ts'],
      slowTestThreshold: 30,
      // Closing a service waits for its consumers' long (5 s) fetches: 5 s hooks fail on a busy machine.
      setupFilesAfterEnv: ['<rootDir>/tools/testing/long-timeout.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      slowTestThreshold: 60,
      setupFilesAfterEnv: ['<rootDir>/tools/testing/long-timeout.js'],
    },
  ],
};
