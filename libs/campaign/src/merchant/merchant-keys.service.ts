import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { audit, isUuid, TenancyException, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { CouponException } from '../coupon/coupon.exception';

export interface MerchantKeyBinding {
  apiKeyId: string;
  merchantId: string;
}

/**
 * Ties a merchant API key to the one merchant it redeems for (merchant_api_keys). A merchant key without a
 * binding redeems nothing; a bound key stays with its merchant (issue a new key to move a till).
 */
@Injectable()
export class MerchantKeysService {
  constructor(private readonly db: TenantDatabase) {}

  async bind(tenantId: TenantId, binding: MerchantKeyBinding, actor: string): Promise<MerchantKeyBinding> {
    for (const field of ['apiKeyId', 'merchantId'] as const) {
      if (!isUuid(binding[field])) throw new CouponException('invalid-input', `${field} must be a UUID`, field);
    }
    const apiKeyId = binding.apiKeyId.toLowerCase();
    const merchantId = binding.merchantId.toLowerCase();
    return this.db.run(tenantId, async (em) => {
      const [key] = await em.query(`SELECT role, revoked_at FROM api_keys WHERE tenant_id = $1 AND id = $2`, [tenantId, apiKeyId]);
      if (!key) throw new TenancyException('not-found', `API key ${apiKeyId} not found`, 'apiKeyId');
      if (key.role !== 'merchant') throw new CouponException('invalid-input', `API key ${apiKeyId} has role ${key.role}; only a merchant key can be bound`, 'apiKeyId');
      if (key.revoked_at) throw new CouponException('invalid-input', `API key ${apiKeyId} is revoked`, 'apiKeyId');
      const [merchant] = await em.query(`SELECT 1 FROM merchants WHERE tenant_id = $1 AND id = $2`, [tenantId, merchantId]);
      if (!merchant) throw new CouponException('merchant-not-found', `merchant ${merchantId} not found`, 'merchantId');
      const [inserted] = await em.query(
        `INSERT INTO merchant_api_keys (tenant_id, api_key_id, merchant_id) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, api_key_id) DO NOTHING RETURNING merchant_id`,
        [tenantId, apiKeyId, merchantId],
      );
      if (!inserted) return this.alreadyBound(em, tenantId, apiKeyId, merchantId);
      await audit(em, tenantId, { actor, action: 'merchant-api-key.bind', targetType: 'api-key', targetId: apiKeyId, details: { merchantId } });
      return { apiKeyId, merchantId };
    });
  }

  /** Binding again to the same merchant changes nothing; a key never moves to another merchant. */
  private async alreadyBound(em: EntityManager, tenantId: TenantId, apiKeyId: string, merchantId: string): Promise<MerchantKeyBinding> {
    const [bound] = await em.query(`SELECT merchant_id FROM merchant_api_keys WHERE tenant_id = $1 AND api_key_id = $2`, [tenantId, apiKeyId]);
    if (bound.merchant_id !== merchantId) {
      throw new TenancyException('conflict', `API key ${apiKeyId} is already bound to merchant ${bound.merchant_id}; issue a new key for this merchant`, 'apiKeyId');
    }
    return { apiKeyId, merchantId };
  }

  /** The merchant a key redeems for, or undefined when the key is not bound. */
  async merchantOfKey(tenantId: TenantId, apiKeyId: string): Promise<{ id: string; name: string } | undefined> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT m.id, m.name FROM merchant_api_keys b JOIN merchants m ON m.tenant_id = b.tenant_id AND m.id = b.merchant_id
          WHERE b.tenant_id = $1 AND b.api_key_id = $2`,
        [tenantId, apiKeyId],
      ),
    );
    return row ? { id: row.id, name: row.name } : undefined;
  }
}
