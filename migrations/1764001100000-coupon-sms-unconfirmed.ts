import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * coupons.sms_unconfirmed_at: when the earliest send attempt began that Twilio may have accepted without its
 * message SID being recorded (the worker died, or the request timed out or got a 5xx). Null when every attempt
 * so far got a clear answer. A retry of such a coupon looks for the message at Twilio before sending again.
 */
export class CouponSmsUnconfirmed1764001100000 implements MigrationInterface {
  name = 'CouponSmsUnconfirmed1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons ADD COLUMN sms_unconfirmed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons DROP COLUMN sms_unconfirmed_at`);
  }
}
