import { Injectable } from '@nestjs/common';
import { CouponException, CouponIssuerService, CouponJobs } from '@ringflow/campaign';
import type { CouponPort, PortAction, PortOutcome } from '@ringflow/flow';
import { asTenantId } from '@ringflow/tenancy';
import { CallCampaignLink } from './call-campaign-link';

/**
 * The coupon node: issues a coupon of the promotion to the recipient (once per idempotency key, so a
 * replayed step issues nothing new), attributed to the call's campaign attempt when there is one, and
 * queues its SMS for worker-sms. The flow sees the coupon's id as `reference`, never the phone or serial.
 */
@Injectable()
export class CouponIssuingPort implements CouponPort {
  constructor(
    private readonly issuer: CouponIssuerService,
    private readonly jobs: CouponJobs,
    private readonly campaigns: CallCampaignLink,
  ) {}

  async issue(req: PortAction & { promotionId: string; to: string }): Promise<PortOutcome<{ reference: string }>> {
    const tenantId = asTenantId(req.tenant);
    const link = await this.campaigns.of(tenantId, req.callSid);
    let couponId: string;
    try {
      const coupon = await this.issuer.issue(tenantId, {
        promotionId: req.promotionId, phone: req.to, issueKey: req.idempotencyKey, callSid: req.callSid,
        campaignId: link?.campaignId ?? null, contactId: link?.contactId ?? null,
      });
      couponId = coupon.id;
    } catch (error) {
      if (error instanceof CouponException) return { kind: 'failed', reason: `coupon not issued (${error.code}): ${error.message}` };
      throw error;
    }
    await this.jobs.enqueueSend(tenantId, couponId);
    return { kind: 'ok', reference: couponId };
  }
}
