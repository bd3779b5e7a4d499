import { Client } from 'pg';
import type { TenantId } from '@ringflow/tenancy';
import { tenancyFixture } from './tenant-fixture';

describe('row-level security', () => {
  let f: Awaited<ReturnType<typeof tenancyFixture>>;
  let a: TenantId;
  let b: TenantId;

  beforeAll(async () => {
    f = await tenancyFixture();
    a = (await f.tenants.create({ name: 'Tenant A' }, 'operator')).id as TenantId;
    b = (await f.tenants.create({ name: 'Tenant B' }, 'operator')).id as TenantId;
    await f.phoneNumbers.add(a, { number: '+14155550101' }, 'operator');
    await f.phoneNumbers.add(b, { number: '+14155550102' }, 'operator');
    await f.apiKeys.create(a, { name: 'a-admin', role: 'admin' }, 'operator');
    await f.apiKeys.create(b, { name: 'b-admin', role: 'admin' }, 'operator');
    await f.twilio.set(b, { accountSid: `AC${'b'.repeat(32)}`, authToken: 'c'.repeat(32) }, 'operator');
  });
  afterAll(() => f.close());

  it('a query that forgets the tenant filter still returns only the current tenant', async () => {
    const seen = await f.db.run(a, async (em) => ({
      tenants: await em.query('SELECT id FROM tenants'),
      numbers: await em.query('SELECT e164, tenant_id FROM phone_numbers'),
      keys: await em.query('SELECT name FROM api_keys'),
      credentials: await em.query('SELECT * FROM twilio_credentials'),
      audit: await em.query('SELECT DISTINCT tenant_id FROM audit_log'),
    }));
    expect(seen.tenants).toEqual([{ id: a }]);
    expect(seen.numbers).toEqual([{ e164: '+14155550101', tenant_id: a }]);
    expect(seen.keys).toEqual([{ name: 'a-admin' }]);
    expect(seen.credentials).toEqual([]);
    expect(seen.audit).toEqual([{ tenant_id: a }]);
  });

  it('without a tenant in the transaction nothing is visible', async () => {
    const rows = await f.dataSource.query('SELECT count(*)::int AS n FROM phone_numbers');
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("refuses to write a row into another tenant, and leaves the other tenant's rows untouched", async () => {
    await expect(
      f.db.run(a, (em) => em.query(`INSERT INTO phone_numbers (tenant_id, e164) VALUES ($1, '+14155550199')`, [b])),
    ).rejects.toThrow(/row-level security/);
    const updated = await f.db.run(a, (em) => em.query(`UPDATE api_keys SET name = 'hijacked' WHERE tenant_id = $1`, [b]));
    expect(updated[1]).toBe(0);
    const bKeys = await f.db.run(b, (em) => em.query('SELECT name FROM api_keys'));
    expect(bKeys).toEqual([{ name: 'b-admin' }]);
  });

  it('every table with a tenant_id has RLS enabled and forced, with tenant_id leading its primary key', async () => {
    const owner = new Client({ connectionString: f.database.adminUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query(`
        SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
               (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indrelid = c.oid AND i.indisprimary) AS pk_first
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')`);
      expect(rows.length).toBeGreaterThanOrEqual(4);
      for (const row of rows) expect(row).toEqual({ table: row.table, enabled: true, forced: true, pk_first: 'tenant_id' });
    } finally {
      await owner.end();
    }
  });

  it('the app role owns nothing and cannot switch RLS off', async () => {
    await expect(f.dataSource.query('ALTER TABLE phone_numbers DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(f.dataSource.query(`SET row_security = off; SELECT * FROM phone_numbers`)).rejects.toThrow();
  });
});
