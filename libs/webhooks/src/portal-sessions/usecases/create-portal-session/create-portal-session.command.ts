import type { Principal } from '@herald/http';
import type { CreatePortalSessionInput, PortalSessionResponse } from '../../portal-session.dto';

export interface CreatePortalSessionCommand {
  principal: Principal;
  input: CreatePortalSessionInput;
  /** Where the portal is served (`https://herald.example.com`); the link is `<base>/admin/session/<token>`. */
  baseUrl: string;
}

/** The session with its one-time link: the only time the link is ever shown. */
export type CreatePortalSessionResult = PortalSessionResponse & { url: string };
