// TEST FIXTURE, FROM THE SEED: the `data` of the payload example in the Mindset AI webhook guide
// (/work/shared/seeds/002_c292cf98782d43ce.txt), used to replay the documented payload.
export const MINDSET_AGENT_EXAMPLE = {
  uid: 'agent-abc123',
  appUid: 'app-123',
  agentName: 'Customer Support Agent',
  externalTenantId: 'tenant-xyz789',
  live: true,
  createdAt: '2025-01-20T14:35:22Z',
} as const;
