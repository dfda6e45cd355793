import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { HeraldError, badRequest } from '@herald/http';
import type { EntityManager } from 'typeorm';
import { auditEntry } from '../../../audit/audit-entry';
import { OutboxWriter } from '../../../outbox/outbox-writer';
import { userInfoOf } from '../../../user-info';
import { PortalSession } from '../../portal-session.entity';
import { toPortalSessionResponse } from '../../portal-session.dto';
import { generateLinkToken, hashPortalToken } from '../../portal-session-tokens';
import type { CreatePortalSessionCommand, CreatePortalSessionResult } from './create-portal-session.command';

/** A one-time portal link for one tenant; the operator's key may name any tenant, a tenant admin key only its own. */
@Injectable()
export class CreatePortalSessionUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  async execute({ principal, input, baseUrl }: CreatePortalSessionCommand): Promise<CreatePortalSessionResult> {
    const tenantId = input.tenantId ?? principal.tenantId;
    if (tenantId !== principal.tenantId && !principal.bootstrap) {
      throw new HeraldError('forbidden', 'Only the bootstrap admin key may open portal sessions for another tenant');
    }
    const token = generateLinkToken();
    const now = new Date();
    const session = Object.assign(new PortalSession(), {
      id: `ps_${uuidv7().replace(/-/g, '')}`,
      tenantId,
      scope: input.scope,
      webhookIds: input.webhookIds ? [...new Set(input.webhookIds)] : null,
      eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : null,
      branding: input.branding ?? null,
      linkHash: hashPortalToken(token),
      sessionHash: null,
      createdBy: userInfoOf(principal),
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInMinutes * 60_000),
      openedAt: null,
      revokedAt: null,
    } satisfies PortalSession);
    return this.writer.transact(async (manager) => {
      if (session.webhookIds) await assertWebhooksOf(manager, tenantId, session.webhookIds);
      await manager.insert(PortalSession, session);
      const view = toPortalSessionResponse(session);
      return {
        result: { ...view, url: `${baseUrl}/admin/session/${token}` },
        messages: [
          auditEntry(this.writer.topics, {
            principal: { ...principal, tenantId },
            action: 'portal_session.created',
            resourceType: 'portal_session',
            resourceId: session.id,
            before: null,
            after: view,
          }),
        ],
      };
    });
  }
}

/** Every listed webhook must be the tenant's: an unknown id is named, another tenant's is as unknown. */
async function assertWebhooksOf(manager: EntityManager, tenantId: string, ids: string[]): Promise<void> {
  const rows: { id: string }[] = await manager.query(
    'SELECT id FROM webhooks WHERE tenant_id = $1 AND id = ANY($2::text[])',
    [tenantId, ids],
  );
  const known = new Set(rows.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw badRequest(`webhookIds: no webhook ${unknown.join(', ')} in tenant ${tenantId}`);
}
