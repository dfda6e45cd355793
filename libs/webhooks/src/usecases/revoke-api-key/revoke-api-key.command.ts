import type { Principal } from '@herald/http';

export interface RevokeApiKeyCommand {
  principal: Principal;
  keyId: string;
}

/** Whether this call revoked the key (false: it was revoked already). */
export interface RevokeApiKeyResult {
  revoked: boolean;
}
