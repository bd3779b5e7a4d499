import type { DataSource } from 'typeorm';
import type { ReadinessCheck } from '@ringflow/observability';

/** TypeORM options the apps share: entities registered by feature modules, schema only via migrations. */
export function appDataSourceOptions(url: string, app: string) {
  return {
    type: 'postgres' as const,
    url,
    autoLoadEntities: true,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: 10,
    extra: { application_name: `ringflow-${app}`, connectionTimeoutMillis: 3000 },
  };
}

/** The app's database role is one row-level security would not hold; retrying cannot fix it. */
export class UnsafeDatabaseRoleError extends Error {
  override name = 'UnsafeDatabaseRoleError';
}

/**
 * Refuses to run as a role that row-level security would not hold: a superuser, a BYPASSRLS role
 * or the owner of a tenant table. RLS is the backstop; this makes sure the backstop is there.
 */
export async function assertUnprivilegedRole(source: DataSource): Promise<void> {
  const [role] = await source.query(
    `SELECT current_user AS name, r.rolsuper AS super, r.rolbypassrls AS bypass,
            EXISTS (SELECT 1 FROM pg_tables t WHERE t.tableowner = current_user AND t.schemaname = 'public') AS owner
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  if (role.super || role.bypass || role.owner) {
    throw new UnsafeDatabaseRoleError(
      `DATABASE_URL connects as ${role.name}, which ${role.super ? 'is a superuser' : role.bypass ? 'bypasses RLS' : 'owns tables'}: ` +
        'connect as the app role (see .env.example) so row-level security applies',
    );
  }
}

export function postgresReadiness(source: DataSource): ReadinessCheck {
  return { name: 'postgres', check: async () => void (await source.query('SELECT 1')) };
}
