import type { EntityManager } from 'typeorm';
import type { TenantId } from '@ringflow/tenancy';
import { PromotionEntity } from '../promotion/promotion.entity';
import { CouponException } from './coupon.exception';
import { couponFromRow } from './coupon-row';
import type { RedemptionOutcome, RedemptionResult } from './redemption-result';
import { parseSerial } from './serial';

interface KeyedAttempt {
  tenantId: TenantId;
  merchantId: string;
  serialGiven: string;
  idempotencyKey: string | null;
}

/** The answer a merchant already got for an idempotency key, rebuilt from the attempt that claimed the key. */
export class RedemptionReplay {
  async find(em: EntityManager, attempt: KeyedAttempt): Promise<RedemptionResult | undefined> {
    const [earlier] = await em.query(
      `SELECT serial_given, outcome, coupon_id FROM redemption_attempts
        WHERE tenant_id = $1 AND merchant_id = $2 AND idempotency_key = $3`,
      [attempt.tenantId, attempt.merchantId, attempt.idempotencyKey],
    );
    if (!earlier) return undefined;
    const parsed = parseSerial(attempt.serialGiven);
    const normalised = parsed.kind === 'valid' ? parsed.serial : parsed.normalised;
    if (normalised !== earlier.serial_given) {
      throw new CouponException('idempotency-conflict', 'idempotencyKey was already used with another serial', 'idempotencyKey');
    }
    return this.rebuild(em, attempt.tenantId, earlier.outcome as RedemptionOutcome, earlier.coupon_id, earlier.serial_given);
  }

  private async rebuild(em: EntityManager, tenantId: TenantId, outcome: RedemptionOutcome, couponId: string | null, serial: string): Promise<RedemptionResult> {
    if (outcome === 'unknown' || outcome === 'check-failed') return { outcome, replayed: true };
    if (outcome === 'malformed') {
      const parsed = parseSerial(serial);
      return { outcome, reason: parsed.kind === 'malformed' ? parsed.reason : 'malformed', replayed: true };
    }
    const [row] = await em.query(`SELECT * FROM coupons WHERE tenant_id = $1 AND id = $2`, [tenantId, couponId]);
    const coupon = couponFromRow(row);
    if (outcome === 'redeemed') {
      const promotion = await em.getRepository(PromotionEntity).findOneByOrFail({ tenantId, id: coupon.promotionId });
      return { outcome, coupon, promotion, replayed: true };
    }
    if (outcome === 'expired') return { outcome, expiredAt: coupon.expiresAt, replayed: true };
    const [merchant] = await em.query(`SELECT id, name FROM merchants WHERE tenant_id = $1 AND id = $2`, [tenantId, coupon.redeemedByMerchantId]);
    return { outcome, at: coupon.redeemedAt!, merchant: { id: merchant.id, name: merchant.name }, replayed: true };
  }
}
