import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A delivery made by an admin's redelivery or recovery, linked to the delivery it resends. */
@Entity({ name: 'delivery_replays' })
export class DeliveryReplay {
  @PrimaryColumn({ name: 'delivery_id', type: 'text' }) deliveryId!: string;
  @Column({ name: 'replay_of', type: 'text' }) replayOf!: string;
  @Column({ type: 'text' }) trigger!: 'redelivery' | 'recovery';
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ name: 'webhook_id', type: 'text' }) webhookId!: string;
  @Column({ name: 'recovery_id', type: 'text', nullable: true }) recoveryId!: string | null;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy!: string;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt!: Date;
}
