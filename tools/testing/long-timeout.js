// Integration and e2e tests and hooks: 30 s unless they say otherwise. Jest reads `testTimeout`
// from the root config only, so a project sets its own default here.
jest.setTimeout(30_000);
