import type { Principal } from '@herald/http';
import type { UserInfo } from './webhook.entity';

/** Who made a change, as shown in `createdUserInfo` / `lastModifiedUserInfo`: the acting API key. */
export function userInfoOf(principal: Principal): UserInfo {
  return { userId: principal.keyId, userName: principal.keyName ?? principal.keyId };
}
