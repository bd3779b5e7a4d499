import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * worker-calls' reconciler asks Twilio about attempts left without an outcome (a lost status callback, a dial that
 * never learned its SID). `checked_at` is when it last found the call still going, so long calls do not crowd out
 * the others; the partial index keeps its per-tenant read to the few unsettled attempts.
 */
export class CampaignAttemptsReconcile1764001600000 implements MigrationInterface {
  name = 'CampaignAttemptsReconcile1764001600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaign_attempts ADD COLUMN checked_at timestamptz`);
    await q.query(`CREATE INDEX campaign_attempts_unsettled ON campaign_attempts (tenant_id, created_at) WHERE status IN ('dialing', 'placed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS campaign_attempts_unsettled`);
    await q.query(`ALTER TABLE campaign_attempts DROP COLUMN IF EXISTS checked_at`);
  }
}
