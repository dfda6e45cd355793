export interface OpenPortalSessionCommand {
  /** The one-time token from the link. */
  linkToken: string;
}

/** The cookie's token (shown only in Set-Cookie) and when the session ends. */
export interface OpenPortalSessionResult {
  sessionToken: string;
  expiresAt: Date;
}
