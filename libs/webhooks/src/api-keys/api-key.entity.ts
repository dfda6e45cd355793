import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UserInfo } from '../webhook.entity';

/** A bearer API key of one tenant. Only the SHA-256 of the token is stored. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'text', array: true }) scopes!: string[];
  @Column({ name: 'key_hash', type: 'text' }) keyHash!: string;
  /** First characters of the token, so an admin can tell keys apart without seeing them. */
  @Column({ name: 'key_prefix', type: 'text' }) keyPrefix!: string;
  @Column({ name: 'created_by', type: 'jsonb' }) createdBy!: UserInfo;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
