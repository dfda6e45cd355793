import { Column, Entity, PrimaryColumn } from 'typeorm';
import { sealedColumn } from '@herald/secret-box';
import type { PayloadTenantField, WebhookSignatureProfile, WebhookStatus } from '@herald/contracts';

export interface UserInfo {
  userId: string;
  userName: string;
}

/** One webhook of one tenant: where its events go and how they are signed. */
@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ type: 'varchar', length: 50 }) name!: string;
  @Column({ type: 'varchar', length: 500 }) url!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'text', array: true }) events!: string[];
  @Column({ type: 'text' }) status!: WebhookStatus;
  @Column({ name: 'disabled_reason', type: 'text', nullable: true }) disabledReason!: string | null;
  @Column({ name: 'technical_contact_id', type: 'text', nullable: true }) technicalContactId!: string | null;
  @Column({ name: 'failure_email', type: 'text', nullable: true }) failureEmail!: string | null;
  @Column({ type: 'jsonb' }) headers!: Record<string, string>;
  @Column({ name: 'rate_limit_per_second', type: 'integer', nullable: true }) rateLimitPerSecond!: number | null;
  @Column({ type: 'jsonb' }) metadata!: Record<string, string>;
  // Secrets are sealed in the row (AES-256-GCM under the configured key-encryption key).
  @Column({ type: 'text', transformer: sealedColumn }) secret!: string;
  @Column({ name: 'previous_secret', type: 'text', nullable: true, transformer: sealedColumn })
  previousSecret!: string | null;
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;
  @Column({ name: 'public_key', type: 'text', nullable: true }) publicKey!: string | null;
  @Column({ name: 'private_key', type: 'text', nullable: true, transformer: sealedColumn }) privateKey!: string | null;
  @Column({ name: 'key_generated_at', type: 'timestamptz', nullable: true }) keyGeneratedAt!: Date | null;
  /** Value of the static `X-KEY` header (a shared secret, shown only by reveal). */
  @Column({ name: 'static_key', type: 'text', nullable: true, transformer: sealedColumn }) staticKey!: string | null;
  /** `asymmetric` ⇔ the webhook has an ed25519 key pair and gets `v1a` signatures. */
  @Column({ name: 'signature_profiles', type: 'text', array: true }) signatureProfiles!: WebhookSignatureProfile[];
  /** Seconds between retries; null = the deployment's schedule. */
  @Column({ name: 'retry_schedule', type: 'jsonb', nullable: true }) retrySchedule!: number[] | null;
  @Column({ name: 'max_concurrency', type: 'integer', nullable: true }) maxConcurrency!: number | null;
  @Column({ name: 'timeout_ms', type: 'integer', nullable: true }) timeoutMs!: number | null;
  /** CEL payload filter over the event; null = every event of the listed types. */
  @Column({ type: 'text', nullable: true }) filter!: string | null;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_by', type: 'jsonb' }) createdBy!: UserInfo;
  @Column({ name: 'modified_by', type: 'jsonb' }) modifiedBy!: UserInfo;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_triggered_at', type: 'timestamptz', nullable: true }) lastTriggeredAt!: Date | null;
  /** The payload's name for the tenant, fixed by the API profile the webhook was created under. */
  @Column({ name: 'payload_tenant_field', type: 'text' }) payloadTenantField!: PayloadTenantField;
}
