import type { Principal } from '@herald/http';

export interface RevokePortalSessionCommand {
  principal: Principal;
  sessionId: string;
}

export interface RevokePortalSessionResult {
  /** False when it was already revoked. */
  revoked: boolean;
}
