import { PromotionEntity } from './promotion.entity';

/** A `promotions` row as `to_jsonb(p)` gives it (snake_case keys, timestamps as text) as the entity. */
export function promotionFromJson(json: Record<string, unknown>): PromotionEntity {
  return Object.assign(new PromotionEntity(), {
    tenantId: json.tenant_id,
    id: json.id,
    name: json.name,
    offer: json.offer,
    discount: json.discount,
    smsTemplate: json.sms_template,
    validFrom: new Date(json.valid_from as string),
    validUntil: new Date(json.valid_until as string),
    couponLifetimeDays: json.coupon_lifetime_days ?? null,
    createdAt: new Date(json.created_at as string),
  });
}
