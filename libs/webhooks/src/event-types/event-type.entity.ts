import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One catalog entry: an event name webhooks may subscribe to, with an optional JSON Schema. */
@Entity({ name: 'event_types' })
export class EventType {
  @PrimaryColumn({ type: 'varchar', length: 128 }) name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'jsonb', nullable: true }) schema!: Record<string, unknown> | null;
  @Column({ type: 'boolean' }) deprecated!: boolean;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
