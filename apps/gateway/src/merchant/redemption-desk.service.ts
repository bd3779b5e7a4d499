import { Injectable, Logger } from '@nestjs/common';
import { CouponRedeemerService, type RedemptionResult } from '@ringflow/campaign';
import { audit, TenantDatabase } from '@ringflow/tenancy';
import { RedemptionLimiter, type RedemptionSubject } from './limits/redemption-limiter';

export interface DeskRequest extends RedemptionSubject {
  serial: string;
  orderAmount?: string | number | null;
  idempotencyKey?: string | null;
}

export type DeskAnswer = { kind: 'slowed'; retryAfterSeconds: number } | { kind: 'answered'; result: RedemptionResult };

/** Outcomes that suggest guessing rather than a real coupon; enough of them lock the merchant out. */
const FAILURES = new Set<RedemptionResult['outcome']>(['unknown', 'malformed', 'check-failed']);

/** One redemption attempt from the API or the web page: limits first, then the coupon lib, then the lockout count. */
@Injectable()
export class RedemptionDesk {
  private readonly logger = new Logger('MerchantRedemptions');

  constructor(
    private readonly redeemer: CouponRedeemerService,
    private readonly limiter: RedemptionLimiter,
    private readonly db: TenantDatabase,
  ) {}

  async redeem(request: DeskRequest): Promise<DeskAnswer> {
    const verdict = await this.limiter.admit(request);
    if (!verdict.allowed) return { kind: 'slowed', retryAfterSeconds: verdict.retryAfterSeconds };
    const result = await this.redeemer.redeem(request.tenantId, {
      serial: request.serial,
      merchantId: request.merchantId,
      orderAmount: request.orderAmount,
      idempotencyKey: request.idempotencyKey,
      ip: request.ip,
    });
    if (FAILURES.has(result.outcome) && !result.replayed) {
      const failure = await this.limiter.recordFailure(request);
      if (failure.lockedOut) await this.alert(request, failure.lockedForSeconds);
    }
    return { kind: 'answered', result };
  }

  private async alert(request: RedemptionSubject, lockedForSeconds: number): Promise<void> {
    const { tenantId, merchantId, credential } = request;
    await this.db.run(tenantId, (em) =>
      audit(em, tenantId, { actor: credential, action: 'redemption.lockout', targetType: 'merchant', targetId: merchantId, details: { lockedForSeconds } }),
    );
    this.logger.warn(`tenant ${tenantId}: merchant ${merchantId} locked out of redemptions for ${lockedForSeconds} s after repeated unknown or mistyped serials (last by ${credential})`);
  }
}
