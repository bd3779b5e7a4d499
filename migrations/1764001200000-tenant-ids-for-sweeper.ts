import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's call sweeper goes tenant by tenant (closing calls whose final status callback never came, writing
 * call records Postgres refused earlier). Row-level security hides every other tenant from the app role, so this is
 * its one cross-tenant read: tenant ids only, in id order after a given one (keyset pages), at most 1000 at a time.
 */
export class TenantIdsForSweeper1764001200000 implements MigrationInterface {
  name = 'TenantIdsForSweeper1764001200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ringflow_tenant_ids(p_after uuid, p_limit integer) RETURNS TABLE (id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT t.id FROM tenants t WHERE p_after IS NULL OR t.id > p_after ORDER BY t.id LIMIT least(p_limit, 1000) $$`);
    await q.query(`REVOKE ALL ON FUNCTION ringflow_tenant_ids(uuid, integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ringflow_tenant_ids(uuid, integer) TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ringflow_tenant_ids(uuid, integer)`);
  }
}
