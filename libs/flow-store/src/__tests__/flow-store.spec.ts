import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { seedFlows } from '@ringflow/flow';
import {
  ApiKeyEntity, AuditEntryEntity, PhoneNumberEntity, PhoneNumbersService, TenantDatabase, TenantEntity, TenantsService,
  TwilioCredentialEntity, type TenantId,
} from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { FlowStore } from '../flow-store.service';

const sayFlow = (text: string) => ({ schemaVersion: 1, name: `Say ${text}`, start: 'a', nodes: { a: { type: 'say', text, next: 'z' }, z: { type: 'hangup' } } });

describe('FlowStore over Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: FlowStore;
  let a: TenantId;
  let b: TenantId;
  const queries: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({
      type: 'postgres', url: database.appUrl, poolSize: 4,
      entities: [TenantEntity, PhoneNumberEntity, ApiKeyEntity, TwilioCredentialEntity, AuditEntryEntity],
      logging: ['query'],
      logger: { logQuery: (sql) => void queries.push(sql), logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined },
    });
    await dataSource.initialize();
    const db = new TenantDatabase(dataSource);
    const tenants = new TenantsService(db);
    a = (await tenants.create({ name: 'A' }, 'operator')).id as TenantId;
    b = (await tenants.create({ name: 'B' }, 'operator')).id as TenantId;
    await new PhoneNumbersService(db).add(a, { number: '+14155550111' }, 'operator');
    store = new FlowStore(db);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('saves a valid draft and refuses an invalid one with every error, writing nothing', async () => {
    const created = await store.create(a, seedFlows.cardActivation, 'api-key:test');
    expect(created.ok).toBe(true);
    const broken = await store.create(a, { schemaVersion: 1, name: 'Broken', start: 'x', nodes: { x: { type: 'menu', options: [] } } }, 'api-key:test');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors.length).toBeGreaterThan(0);
    expect((await store.list(a)).map((f) => f.name)).toEqual(['Card activation']);
  });

  it('publishes numbered, immutable versions; a later draft does not change a published one', async () => {
    const created = await store.create(a, sayFlow('one'), 'api-key:test');
    if (!created.ok) throw new Error('create failed');
    const flowId = created.value.id;
    const v1 = await store.publish(a, flowId, 'api-key:test');
    expect(v1.ok && v1.value.version).toBe(1);
    await store.updateDraft(a, flowId, sayFlow('two'), 'api-key:test');
    const v2 = await store.publish(a, flowId, 'api-key:test');
    expect(v2.ok && v2.value.version).toBe(2);
    const first = await store.getVersion(a, flowId, 1);
    expect(first.flow.nodes.a).toMatchObject({ type: 'say', text: 'one' });
    expect((await store.get(a, flowId)).latestVersion).toBe(2);

    const asApp = await dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [a]);
      return em.query(`UPDATE flow_versions SET document = '{}' WHERE tenant_id = $1`, [a]).then(() => 'updated', (e: Error) => e.message);
    });
    expect(asApp).toMatch(/permission denied/);
  });

  it('refuses an invalid draft update and keeps the old draft', async () => {
    const created = await store.create(a, sayFlow('keep'), 'api-key:test');
    if (!created.ok) throw new Error('create failed');
    const update = await store.updateDraft(a, created.value.id, { schemaVersion: 1, name: 'x', start: 'nowhere', nodes: {} }, 'api-key:test');
    expect(update.ok).toBe(false);
    expect((await store.get(a, created.value.id)).draft).toEqual(sayFlow('keep'));
  });

  it("resolves a number to its flow's latest published version, and serves it from memory once warm", async () => {
    const created = await store.create(a, sayFlow('hello'), 'api-key:test');
    if (!created.ok) throw new Error('create failed');
    expect(await store.resolveForNumber(a, '+14155550111')).toBeUndefined();
    await store.bindNumber(a, '+1 415 555 0111', created.value.id, 'api-key:test');
    expect(await store.resolveForNumber(a, '+14155550111')).toBeUndefined();
    await store.publish(a, created.value.id, 'api-key:test');
    const resolved = await store.resolveForNumber(a, '+14155550111');
    expect(resolved).toMatchObject({ tenantId: a, flowId: created.value.id, version: 1 });

    expect(queries.some((sql) => sql.includes("flow_versions"))).toBe(true);
    queries.length = 0;
    const again = await store.getVersion(a, created.value.id, 1);
    expect(again.flow).toBe(resolved!.flow);
    expect(queries).toEqual([]);
  });

  it("walls tenants off: another tenant's flow is not found and its number cannot be bound", async () => {
    const created = await store.create(a, sayFlow('mine'), 'api-key:test');
    if (!created.ok) throw new Error('create failed');
    await expect(store.get(b, created.value.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.publish(b, created.value.id, 'x')).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.bindNumber(b, '+14155550111', null, 'x')).rejects.toMatchObject({ code: 'not-found', field: 'number' });
    const other = await store.create(b, sayFlow('theirs'), 'x');
    if (!other.ok) throw new Error('create failed');
    await expect(store.bindNumber(a, '+14155550111', other.value.id, 'x')).rejects.toMatchObject({ code: 'not-found', field: 'flowId' });
  });

  it('writes an audit entry for each change', async () => {
    const owner = new Client({ connectionString: database.adminUrl });
    await owner.connect();
    const { rows } = await owner.query(`SELECT DISTINCT action FROM audit_log WHERE tenant_id = $1 AND action LIKE '%flow%' ORDER BY action`, [a]);
    await owner.end();
    expect(rows.map((r) => r.action)).toEqual(['flow.create', 'flow.publish', 'flow.update-draft', 'phone-number.bind-flow']);
  });
});
