import { Injectable } from '@nestjs/common';
import { HeraldError } from '@herald/http';
import { DataSource } from 'typeorm';
import { generateSessionToken, hashPortalToken, LINK_TOKEN_PATTERN } from '../../portal-session-tokens';
import type { OpenPortalSessionCommand, OpenPortalSessionResult } from './open-portal-session.command';

const REFUSED = 'This portal link was already used, has expired or was revoked; ask for a new one';

/**
 * Exchanges a one-time link for a session token. Single use is enforced by PostgreSQL: one
 * conditional UPDATE claims the link, so of two concurrent openings exactly one gets a row.
 */
@Injectable()
export class OpenPortalSessionUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ linkToken }: OpenPortalSessionCommand): Promise<OpenPortalSessionResult> {
    if (!LINK_TOKEN_PATTERN.test(linkToken)) throw new HeraldError('unauthorized', REFUSED);
    const sessionToken = generateSessionToken();
    const [rows]: [{ expires_at: Date }[], number] = await this.dataSource.query(
      `UPDATE portal_sessions SET opened_at = now(), session_hash = $2
        WHERE link_hash = $1 AND opened_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING expires_at`,
      [hashPortalToken(linkToken), hashPortalToken(sessionToken)],
    );
    if (rows.length === 0) throw new HeraldError('unauthorized', REFUSED);
    return { sessionToken, expiresAt: new Date(rows[0].expires_at) };
  }
}
