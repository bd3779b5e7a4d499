import { Injectable } from '@nestjs/common';
import { isUuid, TenancyException, TenantDatabase, type TenantId, toE164 } from '@ringflow/tenancy';
import { type Page, type PageRequest, pageOf, pageSize } from '../paging/keyset-page';
import { CouponException } from './coupon.exception';
import { parseSerial } from './serial';

export interface CouponSearch {
  /** As a person typed it (case, dashes and spaces do not matter). */
  serial?: string | null;
  /** Any international format; compared in E.164. */
  phone?: string | null;
  promotionId?: string | null;
  campaignId?: string | null;
}

export interface FoundCoupon {
  id: string;
  promotionId: string;
  campaignId: string | null;
  serial: string;
  phone: string;
  issuedAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  redeemedByMerchantId: string | null;
  orderAmount: string | null;
  smsStatus: string;
}

function criteria(search: CouponSearch): { serial: string | null; phone: string | null; promotionId: string | null; campaignId: string | null } {
  let serial: string | null = null;
  if (search.serial) {
    const parsed = parseSerial(search.serial);
    if (parsed.kind === 'malformed') throw new CouponException('invalid-input', `serial: ${parsed.reason}`, 'serial');
    serial = parsed.kind === 'valid' ? parsed.serial : parsed.normalised;
  }
  let phone: string | null = null;
  if (search.phone) {
    try {
      phone = toE164(search.phone, 'phone');
    } catch (error) {
      if (error instanceof TenancyException) throw new CouponException('invalid-input', error.message, 'phone');
      throw error;
    }
  }
  for (const field of ['promotionId', 'campaignId'] as const) {
    if (search[field] && !isUuid(search[field])) throw new CouponException('invalid-input', `${field} must be a UUID`, field);
  }
  return { serial, phone, promotionId: search.promotionId || null, campaignId: search.campaignId || null };
}

/** Finds issued coupons by serial, phone, promotion or campaign, newest first. */
@Injectable()
export class CouponSearchService {
  constructor(private readonly db: TenantDatabase) {}

  async page(tenantId: TenantId, search: CouponSearch, request: PageRequest): Promise<Page<FoundCoupon>> {
    const size = pageSize(request);
    const c = criteria(search);
    const rows = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT id, promotion_id, campaign_id, serial, phone, issued_at, expires_at, redeemed_at, redeemed_by_merchant_id, order_amount, sms_status
           FROM coupons k
          WHERE k.tenant_id = $1
            AND ($2::text IS NULL OR k.serial = $2) AND ($3::text IS NULL OR k.phone = $3)
            AND ($4::uuid IS NULL OR k.promotion_id = $4) AND ($5::uuid IS NULL OR k.campaign_id = $5)
            AND ($6::text IS NULL OR (k.issued_at, k.id) < (SELECT issued_at, id FROM coupons WHERE tenant_id = $1 AND id::text = $6))
          ORDER BY k.issued_at DESC, k.id DESC LIMIT $7`,
        [tenantId, c.serial, c.phone, c.promotionId, c.campaignId, request.after ?? null, size + 1],
      ),
    );
    return pageOf(
      rows.map((r: any) => ({
        id: r.id, promotionId: r.promotion_id, campaignId: r.campaign_id, serial: r.serial, phone: r.phone, issuedAt: r.issued_at,
        expiresAt: r.expires_at, redeemedAt: r.redeemed_at, redeemedByMerchantId: r.redeemed_by_merchant_id, orderAmount: r.order_amount, smsStatus: r.sms_status,
      })),
      size,
    );
  }
}
