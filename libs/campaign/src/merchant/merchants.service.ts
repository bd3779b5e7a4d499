import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { audit, isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { CouponException } from '../coupon/coupon.exception';
import { MerchantEntity } from './merchant.entity';

@Injectable()
export class MerchantsService {
  constructor(private readonly db: TenantDatabase) {}

  async create(tenantId: TenantId, command: { name: string }, actor: string): Promise<MerchantEntity> {
    const name = command.name.trim();
    if (!name || name.length > 200) throw new CouponException('invalid-input', 'name must be 1 to 200 characters', 'name');
    const id = randomUUID();
    return this.db.run(tenantId, async (em) => {
      const repo = em.getRepository(MerchantEntity);
      await repo.insert({ tenantId, id, name });
      await audit(em, tenantId, { actor, action: 'merchant.create', targetType: 'merchant', targetId: id, details: { name } });
      return repo.findOneByOrFail({ tenantId, id });
    });
  }

  async get(tenantId: TenantId, id: string): Promise<MerchantEntity> {
    if (!isUuid(id)) throw new CouponException('invalid-input', 'merchantId must be a UUID', 'merchantId');
    const merchant = await this.db.run(tenantId, (em) => em.getRepository(MerchantEntity).findOneBy({ tenantId, id }));
    if (!merchant) throw new CouponException('merchant-not-found', `merchant ${id} not found`, 'merchantId');
    return merchant;
  }

  list(tenantId: TenantId): Promise<MerchantEntity[]> {
    return this.db.run(tenantId, (em) => em.getRepository(MerchantEntity).find({ where: { tenantId }, order: { name: 'ASC' } }));
  }
}
