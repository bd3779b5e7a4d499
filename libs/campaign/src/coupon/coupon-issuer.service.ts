import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid, TenancyException, TenantDatabase, toE164, type TenantId } from '@ringflow/tenancy';
import { CouponException } from './coupon.exception';
import type { CouponEntity } from './coupon.entity';
import { couponFromRow } from './coupon-row';
import { generateSerial } from './serial';

export interface IssueCouponCommand {
  promotionId: string;
  /** The recipient; normalised to E.164. Stored on the coupon, never logged. */
  phone: string;
  /** Idempotency: issuing twice with one key gives one coupon (e.g. `call-<CallSid>-<nodeId>`). */
  issueKey: string;
  callSid?: string | null;
  campaignId?: string | null;
  contactId?: string | null;
}

/** Where fresh serials come from; tests may provide their own to force collisions. */
export const SERIAL_SOURCE = Symbol('SERIAL_SOURCE');

// A collision among 2^70 serials is already unlikely; this many in a row means the source is broken.
const MAX_SERIAL_TRIES = 8;

// ON CONFLICT without a target covers both (tenant_id, serial) and (tenant_id, issue_key); the caller tells them apart.
const INSERT_COUPON = `
  INSERT INTO coupons (tenant_id, promotion_id, serial, phone, issue_key, call_sid, campaign_id, contact_id, expires_at)
  SELECT p.tenant_id, p.id, $3, $4, $5, $6, $7, $8, least(p.valid_until, now() + make_interval(days => p.coupon_lifetime_days))
    FROM promotions p
   WHERE p.tenant_id = $1 AND p.id = $2 AND p.valid_from <= now() AND p.valid_until > now()
  ON CONFLICT DO NOTHING
  RETURNING *`;

@Injectable()
export class CouponIssuerService {
  constructor(
    private readonly db: TenantDatabase,
    @Optional() @Inject(SERIAL_SOURCE) private readonly nextSerial: () => string = generateSerial,
  ) {}

  /**
   * Issues a coupon with a fresh serial and `sms_status = 'pending'`, or returns the coupon already issued under
   * the same issueKey. The promotion must exist and be running now.
   */
  async issue(tenantId: TenantId, command: IssueCouponCommand): Promise<CouponEntity> {
    const input = this.checked(command);
    return this.db.run(tenantId, async (em) => {
      for (let tries = 0; tries < MAX_SERIAL_TRIES; tries++) {
        const params = [tenantId, input.promotionId, this.nextSerial(), input.phone, input.issueKey, input.callSid, input.campaignId, input.contactId];
        const [row] = await em.query(INSERT_COUPON, params);
        if (row) return couponFromRow(row);
        const existing = await this.byIssueKey(em, tenantId, input.issueKey);
        if (existing) return this.sameRequest(existing, input);
        await this.assertPromotionRunning(em, tenantId, input.promotionId);
        // Otherwise the serial was taken: draw another.
      }
      throw new Error(`no free serial after ${MAX_SERIAL_TRIES} tries: the serial source is not random`);
    });
  }

  private checked(command: IssueCouponCommand) {
    if (!isUuid(command.promotionId)) throw new CouponException('invalid-input', 'promotionId must be a UUID', 'promotionId');
    const issueKey = command.issueKey?.trim();
    if (!issueKey || issueKey.length > 200) throw new CouponException('invalid-input', 'issueKey must be 1 to 200 characters', 'issueKey');
    for (const field of ['campaignId', 'contactId'] as const) {
      const value = command[field];
      if (value != null && !isUuid(value)) throw new CouponException('invalid-input', `${field} must be a UUID`, field);
    }
    if (command.callSid != null && !/^CA[0-9a-fA-F]{32}$/.test(command.callSid)) {
      throw new CouponException('invalid-input', 'callSid must be a Twilio call SID (CA followed by 32 hex digits)', 'callSid');
    }
    if (typeof command.phone !== 'string') throw new CouponException('invalid-input', 'phone is required', 'phone');
    let phone: string;
    try {
      phone = toE164(command.phone, 'phone');
    } catch (error) {
      // toE164's message repeats the number; a coupon error must not carry it into logs.
      if (error instanceof TenancyException) throw new CouponException('invalid-input', 'phone is not a valid phone number in E.164 form', 'phone');
      throw error;
    }
    return {
      promotionId: command.promotionId.toLowerCase(),
      phone,
      issueKey,
      callSid: command.callSid ?? null,
      campaignId: command.campaignId ?? null,
      contactId: command.contactId ?? null,
    };
  }

  private async byIssueKey(em: EntityManager, tenantId: TenantId, issueKey: string): Promise<CouponEntity | undefined> {
    const [row] = await em.query(`SELECT * FROM coupons WHERE tenant_id = $1 AND issue_key = $2`, [tenantId, issueKey]);
    return row ? couponFromRow(row) : undefined;
  }

  private sameRequest(existing: CouponEntity, input: ReturnType<CouponIssuerService['checked']>): CouponEntity {
    if (existing.promotionId !== input.promotionId || existing.phone !== input.phone) {
      throw new CouponException('idempotency-conflict', 'issueKey was already used for another promotion or phone', 'issueKey');
    }
    return existing;
  }

  private async assertPromotionRunning(em: EntityManager, tenantId: TenantId, promotionId: string): Promise<void> {
    const [promotion] = await em.query(
      `SELECT valid_from <= now() AS started, valid_until > now() AS running FROM promotions WHERE tenant_id = $1 AND id = $2`,
      [tenantId, promotionId],
    );
    if (!promotion) throw new CouponException('promotion-not-found', `promotion ${promotionId} not found`, 'promotionId');
    if (!promotion.started) throw new CouponException('promotion-not-active', `promotion ${promotionId} has not started yet`, 'promotionId');
    if (!promotion.running) throw new CouponException('promotion-not-active', `promotion ${promotionId} has ended`, 'promotionId');
  }
}
