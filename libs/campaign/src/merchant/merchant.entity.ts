import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A shop or till that redeems coupons; a merchant API key is tied to one at the edge. */
@Entity('merchants')
export class MerchantEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
