export * from './secret-box';
export * from './snapshot-secrets';
