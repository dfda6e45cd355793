import type { Principal } from '@herald/http';
import type { CreateApiKeyInput, toApiKeyResponse } from '../../api-keys/api-key.dto';

export interface CreateApiKeyCommand {
  principal: Principal;
  input: CreateApiKeyInput;
}

/** The key with its token: the only time the token is ever shown. */
export type CreateApiKeyResult = ReturnType<typeof toApiKeyResponse> & { key: string };
