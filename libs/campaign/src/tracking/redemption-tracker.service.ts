import type { TenantDatabase, TenantId } from '@ringflow/tenancy';
import type { CouponEventsService } from '../coupon/coupon-events.service';
import type { WebhookDeliveriesService } from '../webhook/webhook-deliveries.service';
import type { CouponRedeemedData, WebhookEvent } from '../webhook/webhook-event';
import { countFunnelFact } from './funnel-fact';

/** What tracking one coupon event did. */
export type TrackResult = { kind: 'tracked'; counted: boolean; webhooks: number } | { kind: 'already-processed' } | { kind: 'gone' };

/** The webhook event id of a coupon event: stable, so receivers can dedupe retries and replays. */
export const couponEventKey = (eventId: string) => `coupon.redeemed-${eventId}`;

/**
 * Tracks one redemption from the coupon_events outbox, at least once with effects once: its attribution
 * (promotion, campaign, call, contact, merchant) is remembered by event id, the funnel counts it once, and
 * one webhook delivery per subscribed endpoint is created and queued; then the event is marked processed.
 */
export class RedemptionTracker {
  constructor(
    private readonly db: TenantDatabase,
    private readonly events: CouponEventsService,
    private readonly webhooks: WebhookDeliveriesService,
  ) {}

  async track(tenantId: TenantId, eventId: string): Promise<TrackResult> {
    if (!/^\d{1,19}$/.test(eventId)) throw new Error(`coupon event id ${eventId} is not a bigint`);
    const tracked = await this.db.run(tenantId, async (em) => {
      const [event] = await em.query(
        `SELECT e.kind, e.processed_at, e.at, c.id AS coupon_id, c.promotion_id, c.campaign_id, c.contact_id, c.call_sid,
                c.redeemed_by_merchant_id, c.order_amount, c.issued_at, c.redeemed_at
           FROM coupon_events e JOIN coupons c ON c.tenant_id = e.tenant_id AND c.id = e.coupon_id
          WHERE e.tenant_id = $1 AND e.id = $2`,
        [tenantId, eventId],
      );
      if (!event || event.kind !== 'redeemed' || !event.redeemed_at) return { kind: 'gone' } as const;
      if (event.processed_at) return { kind: 'already-processed' } as const;
      await em.query(
        `INSERT INTO redemption_attributions
           (tenant_id, event_id, coupon_id, promotion_id, campaign_id, contact_id, call_sid, merchant_id, order_amount, issued_at, redeemed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [tenantId, eventId, event.coupon_id, event.promotion_id, event.campaign_id, event.contact_id, event.call_sid,
          event.redeemed_by_merchant_id, event.order_amount, event.issued_at, event.redeemed_at],
      );
      // Counted by coupon: a coupon is redeemed once, however many events mention it. A redeemed coupon was
      // issued too, even if its SMS job never ran (issued is otherwise counted when the SMS worker takes it).
      const fact = { subjectId: event.coupon_id, promotionId: event.promotion_id, campaignId: event.campaign_id };
      await countFunnelFact(em, tenantId, { metric: 'issued', ...fact });
      const counted = await countFunnelFact(em, tenantId, { metric: 'redeemed', ...fact, revenue: event.order_amount });
      const data: CouponRedeemedData = {
        couponId: event.coupon_id,
        promotionId: event.promotion_id,
        campaignId: event.campaign_id,
        contactId: event.contact_id,
        callSid: event.call_sid,
        merchantId: event.redeemed_by_merchant_id,
        orderAmount: event.order_amount,
        issuedAt: new Date(event.issued_at).toISOString(),
        redeemedAt: new Date(event.redeemed_at).toISOString(),
      };
      const webhook: WebhookEvent<CouponRedeemedData> = { id: couponEventKey(eventId), type: 'coupon.redeemed', createdAt: new Date(event.at).toISOString(), tenantId, data };
      await this.webhooks.createForEvent(em, tenantId, webhook);
      return { kind: 'tracked', counted } as const;
    });
    if (tracked.kind !== 'tracked') return tracked;
    // After the commit, so a worker never picks up a delivery that is not there yet; a crash before the
    // mark below leaves the event pending, and the replay queues the same deliveries under the same job ids.
    const webhooks = await this.webhooks.enqueuePending(tenantId, couponEventKey(eventId));
    await this.events.markProcessed(tenantId, [eventId]);
    return { ...tracked, webhooks };
  }
}
