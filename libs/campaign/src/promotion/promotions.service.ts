import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { audit, isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { CouponException } from '../coupon/coupon.exception';
import { couponSmsTemplateProblem, DEFAULT_COUPON_SMS_TEMPLATE } from '../coupon/coupon-sms';
import { PromotionEntity } from './promotion.entity';

export interface CreatePromotionCommand {
  name: string;
  offer: string;
  discount: string;
  validFrom: Date;
  validUntil: Date;
  /** Liquid; defaults to DEFAULT_COUPON_SMS_TEMPLATE. */
  smsTemplate?: string;
  couponLifetimeDays?: number | null;
}

function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max) throw new CouponException('invalid-input', `${field} must be 1 to ${max} characters`, field);
  return trimmed;
}

@Injectable()
export class PromotionsService {
  constructor(private readonly db: TenantDatabase) {}

  async create(tenantId: TenantId, command: CreatePromotionCommand, actor: string): Promise<PromotionEntity> {
    const smsTemplate = command.smsTemplate ?? DEFAULT_COUPON_SMS_TEMPLATE;
    const problem = couponSmsTemplateProblem(smsTemplate);
    if (problem) throw new CouponException('invalid-input', `smsTemplate: ${problem}`, 'smsTemplate');
    for (const field of ['validFrom', 'validUntil'] as const) {
      if (!(command[field] instanceof Date) || Number.isNaN(command[field].getTime())) {
        throw new CouponException('invalid-input', `${field} must be a date`, field);
      }
    }
    if (command.validUntil <= command.validFrom) throw new CouponException('invalid-input', 'validUntil must be after validFrom', 'validUntil');
    const days = command.couponLifetimeDays ?? null;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      throw new CouponException('invalid-input', 'couponLifetimeDays must be a whole number of days from 1 to 3650', 'couponLifetimeDays');
    }
    const promotion = {
      tenantId,
      id: randomUUID(),
      name: text(command.name, 'name', 200),
      offer: text(command.offer, 'offer', 500),
      discount: text(command.discount, 'discount', 100),
      smsTemplate,
      validFrom: command.validFrom,
      validUntil: command.validUntil,
      couponLifetimeDays: days,
    };
    return this.db.run(tenantId, async (em) => {
      const repo = em.getRepository(PromotionEntity);
      await repo.insert(promotion);
      await audit(em, tenantId, { actor, action: 'promotion.create', targetType: 'promotion', targetId: promotion.id, details: { name: promotion.name } });
      return repo.findOneByOrFail({ tenantId, id: promotion.id });
    });
  }

  async get(tenantId: TenantId, id: string): Promise<PromotionEntity> {
    if (!isUuid(id)) throw new CouponException('invalid-input', 'promotionId must be a UUID', 'promotionId');
    const promotion = await this.db.run(tenantId, (em) => em.getRepository(PromotionEntity).findOneBy({ tenantId, id }));
    if (!promotion) throw new CouponException('promotion-not-found', `promotion ${id} not found`, 'promotionId');
    return promotion;
  }
}
