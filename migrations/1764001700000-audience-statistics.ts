import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A launch inserts a campaign's whole audience into `campaign_contacts` at once. Until the table is analyzed the
 * planner cannot tell its two (tenant, campaign, ...) indexes apart for a one-contact lookup and may pick the one
 * ordered by `seq`, scanning the whole audience for every dial (seen: 2.7 ms per dial at 10,000 contacts, the
 * campaign stalled at CPS 50; autovacuum is off on some servers and late on others). The launch refreshes the
 * table's statistics through this function: the app role owns no table, and ANALYZE needs the owner.
 */
export class AudienceStatistics1764001700000 implements MigrationInterface {
  name = 'AudienceStatistics1764001700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ringflow_analyze_campaign_contacts() RETURNS void
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ BEGIN ANALYZE campaign_contacts; END $$`);
    await q.query(`REVOKE ALL ON FUNCTION ringflow_analyze_campaign_contacts() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ringflow_analyze_campaign_contacts() TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ringflow_analyze_campaign_contacts()`);
  }
}
