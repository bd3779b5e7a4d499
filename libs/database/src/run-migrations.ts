import { Client } from 'pg';
import { DataSource, type MixedList } from 'typeorm';

export interface MigrateOptions {
  /** A role that owns the schema (and may create databases and roles), e.g. postgres. */
  adminUrl: string;
  /** The apps' connection: its user is made a login member of ringflow_rw, never an owner. */
  appUrl: string;
  migrations: MixedList<Function>;
  log?: (line: string) => void;
}

const MIGRATION_LOCK = 0x52_46_4c_57; // "RFLW": one migrator at a time per database

/** Creates the database and the app's login role when missing, then applies pending migrations. */
export async function runMigrations({ adminUrl, appUrl, migrations, log = () => undefined }: MigrateOptions): Promise<string[]> {
  const target = new URL(adminUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!database) throw new Error('DATABASE_ADMIN_URL names no database (expected .../ringflow)');
  await ensureDatabase(adminUrl, database, log);

  const source = new DataSource({ type: 'postgres', url: adminUrl, migrations, migrationsTableName: 'migrations', logging: false });
  await source.initialize();
  try {
    await source.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await source.runMigrations({ transaction: 'each' });
    await ensureAppLogin(source, appUrl, log);
    await source.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    for (const m of applied) log(`applied ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await source.destroy();
  }
}

async function ensureDatabase(adminUrl: string, database: string, log: (line: string) => void): Promise<void> {
  const maintenance = new URL(adminUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      log(`created database ${database}`);
    }
  } finally {
    await client.end();
  }
}

async function ensureAppLogin(source: DataSource, appUrl: string, log: (line: string) => void): Promise<void> {
  const url = new URL(appUrl);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (!user) throw new Error('DATABASE_URL names no user: the apps must connect as their own role');
  const [{ current_user: admin }] = await source.query('SELECT current_user');
  if (user === admin) {
    throw new Error(`DATABASE_URL connects as ${user}, the schema owner: row-level security would not apply to it`);
  }
  const client = new Client();
  const role = client.escapeIdentifier(user);
  const exists = (await source.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).length > 0;
  const pw = password ? ` PASSWORD ${client.escapeLiteral(password)}` : '';
  if (!exists) {
    await source.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE${pw}`);
    log(`created login role ${user}`);
  } else {
    await source.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS${pw}`);
  }
  await source.query(`GRANT ringflow_rw TO ${role}`);
}
