import type { Client } from 'pg';

/** Every row a tenant owns, read past row-level security: what must not change. */
export async function snapshot(owner: Client, tenantId: string): Promise<Record<string, unknown[]>> {
  const { rows: tables } = await owner.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
  );
  const out: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    const { rows } = await owner.query(`SELECT * FROM ${owner.escapeIdentifier(table)} WHERE tenant_id = $1`, [tenantId]);
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  const { rows: tenant } = await owner.query('SELECT * FROM tenants WHERE id = $1', [tenantId]);
  out.tenants = tenant.map((row) => JSON.stringify(row));
  return out;
}

/** Runs `work` over the items, four at a time (the answers do not depend on order; the run time does). */
export async function inParallel<T>(items: T[], work: (item: T) => Promise<void>, width = 4): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** An answer with the ids it was given replaced, so that "A's id" and "an unknown id" can be compared. */
export function shapeOf(answer: unknown, ids: string[]): string {
  let text = JSON.stringify(answer);
  for (const id of ids) text = text.split(id).join('<id>');
  return text;
}
