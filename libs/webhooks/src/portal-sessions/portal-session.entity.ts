import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UserInfo } from '../webhook.entity';
import type { PortalBranding, PortalSessionScope } from './portal-session.dto';

/** A tenant's portal session: one-time link, then a cookie. Only SHA-256 hashes of either token are stored. */
@Entity({ name: 'portal_sessions' })
export class PortalSession {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ type: 'text' }) scope!: PortalSessionScope;
  @Column({ name: 'webhook_ids', type: 'text', array: true, nullable: true }) webhookIds!: string[] | null;
  @Column({ name: 'event_types', type: 'text', array: true, nullable: true }) eventTypes!: string[] | null;
  @Column({ type: 'jsonb', nullable: true }) branding!: PortalBranding | null;
  @Column({ name: 'link_hash', type: 'text' }) linkHash!: string;
  @Column({ name: 'session_hash', type: 'text', nullable: true }) sessionHash!: string | null;
  @Column({ name: 'created_by', type: 'jsonb' }) createdBy!: UserInfo;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true }) openedAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
