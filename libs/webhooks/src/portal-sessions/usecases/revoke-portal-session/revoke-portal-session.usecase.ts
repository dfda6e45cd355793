import { Injectable } from '@nestjs/common';
import { notFound } from '@herald/http';
import { auditEntry } from '../../../audit/audit-entry';
import { OutboxWriter } from '../../../outbox/outbox-writer';
import { PortalSession } from '../../portal-session.entity';
import { toPortalSessionResponse } from '../../portal-session.dto';
import type { RevokePortalSessionCommand, RevokePortalSessionResult } from './revoke-portal-session.command';

/** Ends a session (or an unopened link) at once: both services look the cookie up in PostgreSQL per request. */
@Injectable()
export class RevokePortalSessionUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  execute({ principal, sessionId }: RevokePortalSessionCommand): Promise<RevokePortalSessionResult> {
    return this.writer.transact<RevokePortalSessionResult>(async (manager) => {
      const session = await manager.findOne(PortalSession, {
        where: { id: sessionId, tenantId: principal.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!session) throw notFound(`Portal session ${sessionId}`);
      if (session.revokedAt) return { result: { revoked: false }, messages: [] };
      const before = toPortalSessionResponse(session);
      session.revokedAt = new Date();
      await manager.update(PortalSession, { id: session.id }, { revokedAt: session.revokedAt });
      return {
        result: { revoked: true },
        messages: [
          auditEntry(this.writer.topics, {
            principal,
            action: 'portal_session.revoked',
            resourceType: 'portal_session',
            resourceId: session.id,
            before,
            after: toPortalSessionResponse(session),
          }),
        ],
      };
    });
  }
}
