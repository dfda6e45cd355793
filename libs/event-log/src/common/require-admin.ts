import { ApiError, type Principal } from '@herald/http';

/** Replays send requests to customers' endpoints: only keys with the admin scope may ask for them. */
export function requireAdmin(principal: Principal, action: string): void {
  if (!principal.scopes.includes('admin')) {
    throw new ApiError(403, 'forbidden', `${action} needs an API key with the admin scope`);
  }
}
