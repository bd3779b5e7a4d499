import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createHttpApp, createLogger } from '@ringflow/observability';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { adminApiConfigSchema } from '../../apps/admin-api/src/admin-api.config';
import { AdminApiModule } from '../../apps/admin-api/src/admin-api.module';
import { startSmtpSink } from '../gateway/email-node.smtp-sink';

interface Gql {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

const PASSWORD = 'Smtp-Pa55word-do-not-leak';
const SET = 'mutation($i: SetSmtpSettingsInput!) { setSmtpSettings(input: $i) { host port security username fromAddress replyTo updatedAt } }';
const READ = '{ smtpSettings { host port security username fromAddress replyTo } }';
const valid = {
  host: 'smtp.example.com', port: 587, security: 'STARTTLS', username: 'ivr@example.com', password: PASSWORD,
  fromAddress: 'ivr@example.com', replyTo: 'support@example.com',
};

describe('SMTP settings over the admin API', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let operatorKey: string;
  const logs: string[] = [];
  let shared: { tenantId: string; keys: Record<string, string> };
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;

  async function gql(key: string, query: string, variables?: Record<string, unknown>): Promise<Gql> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Gql;
  }
  async function tenantWithKeys(name: string) {
    const created = await gql(operatorKey, 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name } });
    const tenantId: string = created.data!.createTenant.id;
    const keys: Record<string, string> = {};
    for (const role of ['ADMIN', 'MARKETER', 'ANALYST', 'MERCHANT']) {
      const key = await gql(operatorKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { tenantId, name: role, role } });
      keys[role] = key.data!.createApiKey.secret;
    }
    return { tenantId, keys };
  }
  async function asOwner<T>(work: (db: Client) => Promise<T>): Promise<T> {
    const owner = new Client({ connectionString: database.adminUrl });
    await owner.connect();
    try {
      return await work(owner);
    } finally {
      await owner.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink('127.0.0.2', { user: 'ivr@example.com', pass: PASSWORD });
    operatorKey = `op_${randomBytes(24).toString('hex')}`;
    const config = adminApiConfigSchema.parse({
      DATABASE_URL: database.appUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', PORT: '0',
      OPERATOR_API_KEY: operatorKey, SECRETS_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'debug',
      HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.2/32',
    });
    const logger = createLogger('admin-api', 'debug', { write: (line: string) => void logs.push(line) });
    app = await createHttpApp(AdminApiModule.forRoot(config), logger);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    shared = await tenantWithKeys('Shared Co');
    await gql(shared.keys.ADMIN, SET, { i: valid });
  });
  afterAll(async () => {
    await app.close();
    await sink.close();
    await database.drop();
  });

  it('an admin sets them and reads them back without the password, which is stored sealed and audited as "changed"', async () => {
    const { tenantId, keys } = await tenantWithKeys('Mail Co');
    expect((await gql(keys.ADMIN, READ)).data).toEqual({ smtpSettings: null });

    const set = await gql(keys.ADMIN, SET, { i: { ...valid, host: ' SMTP.Example.com ' } });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setSmtpSettings).toEqual({
      host: 'smtp.example.com', port: 587, security: 'STARTTLS', username: 'ivr@example.com', fromAddress: 'ivr@example.com',
      replyTo: 'support@example.com', updatedAt: expect.any(String),
    });
    expect((await gql(keys.ADMIN, READ)).data).toEqual({
      smtpSettings: { host: 'smtp.example.com', port: 587, security: 'STARTTLS', username: 'ivr@example.com', fromAddress: 'ivr@example.com', replyTo: 'support@example.com' },
    });
    // The type has no password field at all.
    expect((await gql(keys.ADMIN, '{ smtpSettings { password } }')).errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    // Replacing them without a reply-to clears it.
    const replaced = await gql(keys.ADMIN, SET, { i: { ...valid, host: '203.0.113.25', port: 465, security: 'TLS', replyTo: null } });
    expect(replaced.data!.setSmtpSettings).toMatchObject({ host: '203.0.113.25', port: 465, security: 'TLS', replyTo: null });

    const { rows, audit } = await asOwner(async (db) => ({
      rows: (await db.query('SELECT password_encrypted FROM smtp_settings WHERE tenant_id = $1', [tenantId])).rows,
      audit: (await db.query(`SELECT action, details::text AS details FROM audit_log WHERE tenant_id = $1 AND action LIKE 'smtp%' ORDER BY id`, [tenantId])).rows,
    }));
    expect(rows[0].password_encrypted).toMatch(/^v1\./);
    expect(rows[0].password_encrypted).not.toContain(PASSWORD);
    expect(audit.map((r) => r.action)).toEqual(['smtp-settings.set', 'smtp-settings.set']);
    expect(JSON.parse(audit[0].details)).toMatchObject({ host: 'smtp.example.com', password: 'changed' });
    expect(audit.map((r) => r.details).join()).not.toContain(PASSWORD);

    expect((await gql(keys.ADMIN, 'mutation { removeSmtpSettings }')).data).toEqual({ removeSmtpSettings: true });
    expect((await gql(keys.ADMIN, 'mutation { removeSmtpSettings }')).data).toEqual({ removeSmtpSettings: false });
    expect((await gql(keys.ADMIN, READ)).data).toEqual({ smtpSettings: null });
  });

  it.each([
    ['host', { host: 'smtp example.com' }, /host must be a host name or IP address/],
    ['host', { host: '' }, /host must be a host name/],
    ['port', { port: 0 }, /port must be a whole number from 1 to 65535, got 0/],
    ['port', { port: 70000 }, /port must be a whole number from 1 to 65535, got 70000/],
    ['username', { username: '  ' }, /username must be 1 to 320 characters/],
    ['password', { password: '' }, /password must be 1 to 512 characters/],
    ['fromAddress', { fromAddress: 'ivr at example.com' }, /fromAddress must be an email address like name@example.com, got "ivr at example.com"/],
    ['fromAddress', { fromAddress: 'Ivr <ivr@example.com>' }, /fromAddress must be an email address/],
    ['replyTo', { replyTo: 'support@' }, /replyTo must be an email address like name@example.com, got "support@"/],
  ])('refuses a bad %s with BAD_USER_INPUT naming the field, and keeps what was there', async (field, change, message) => {
    const { tenantId, keys } = shared;
    const auditCount = () =>
      asOwner(async (db) => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action LIKE 'smtp%'`, [tenantId])).rows[0].n as number);
    const auditsBefore = await auditCount();
    const bad = await gql(keys.ADMIN, SET, { i: { ...valid, host: 'other.example.com', ...change } });
    expect(bad.data ?? null).toBeNull();
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(bad.errors![0].message).toMatch(message);
    expect((await gql(keys.ADMIN, READ)).data!.smtpSettings.host).toBe('smtp.example.com');
    expect(await auditCount()).toBe(auditsBefore);
  });

  it('a security value outside TLS, STARTTLS, NONE is refused by the schema', async () => {
    const { keys } = shared;
    const bad = await gql(keys.ADMIN, SET, { i: { ...valid, security: 'SSL' } });
    expect(bad.errors![0].message).toMatch(/SmtpSecurity/);
  });

  it('only an admin may read, set or remove them; other roles and the operator get FORBIDDEN', async () => {
    const { keys } = shared;
    const operations = [READ, 'mutation { removeSmtpSettings }', 'mutation { sendTestEmail(to: "a@example.com") { sent } }'];
    for (const caller of [operatorKey, keys.MARKETER, keys.ANALYST, keys.MERCHANT]) {
      for (const query of operations) {
        const result = await gql(caller, query);
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(Object.values(result.data ?? {}).filter((v) => v !== null)).toEqual([]);
      }
      const set = await gql(caller, SET, { i: { ...valid, host: 'evil.example.com' } });
      expect(set.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await gql(keys.ADMIN, READ)).data!.smtpSettings.host).toBe('smtp.example.com');
  });

  it("tenant B sees none of tenant A's settings and cannot remove them", async () => {
    const a = await tenantWithKeys('Tenant A');
    const b = await tenantWithKeys('Tenant B');
    await gql(a.keys.ADMIN, SET, { i: valid });
    expect((await gql(b.keys.ADMIN, READ)).data).toEqual({ smtpSettings: null });
    expect((await gql(b.keys.ADMIN, 'mutation { removeSmtpSettings }')).data).toEqual({ removeSmtpSettings: false });
    expect((await gql(a.keys.ADMIN, READ)).data!.smtpSettings.host).toBe('smtp.example.com');
  });

  it('the password never reaches a log line or a GraphQL answer', async () => {
    const { keys } = shared;
    const answers = [await gql(keys.ADMIN, SET, { i: valid }), await gql(keys.ADMIN, READ), await gql(keys.ADMIN, SET, { i: { ...valid, port: -1 } })];
    expect(JSON.stringify(answers)).not.toContain(PASSWORD);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(PASSWORD);
  });

  it('sendTestEmail delivers through the saved settings and audits the attempt without the recipient', async () => {
    const { tenantId, keys } = await tenantWithKeys('Test Mail Co');
    const TEST = 'mutation($to: String!) { sendTestEmail(to: $to) { sent messageId error } }';
    const none = await gql(keys.ADMIN, TEST, { to: 'me@example.com' });
    expect(none.errors![0]).toMatchObject({ message: expect.stringMatching(/no SMTP settings/), extensions: { code: 'NOT_FOUND' } });

    await gql(keys.ADMIN, SET, { i: { ...valid, host: '127.0.0.2', port: sink.port, security: 'NONE' } });
    const badTo = await gql(keys.ADMIN, TEST, { to: 'me at example' });
    expect(badTo.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });

    const before = sink.received.length;
    const ok = await gql(keys.ADMIN, TEST, { to: 'me@example.com' });
    expect(ok.data!.sendTestEmail).toEqual({ sent: true, messageId: expect.stringMatching(/^<.+@.+>$/), error: null });
    expect(sink.received.slice(before)).toEqual([expect.objectContaining({ from: 'ivr@example.com', to: ['me@example.com'], raw: expect.stringMatching(/^Subject: Ringflow SMTP test\r$/m) })]);

    // localhost is loopback and not allow-listed: refused, with the reason, and nothing sent.
    await gql(keys.ADMIN, SET, { i: { ...valid, host: 'localhost', port: sink.port, security: 'TLS' } });
    const refused = await gql(keys.ADMIN, TEST, { to: 'me@example.com' });
    expect(refused.data!.sendTestEmail).toEqual({ sent: false, messageId: null, error: expect.stringMatching(/SMTP host refused: address 127\.0\.0\.1 is in loopback range/) });
    expect(sink.received.length).toBe(before + 1);

    const audit = await asOwner(async (db) => (await db.query(`SELECT details::text AS details FROM audit_log WHERE tenant_id = $1 AND action = 'smtp-settings.test' ORDER BY id`, [tenantId])).rows);
    expect(audit.map((r) => JSON.parse(r.details))).toEqual([{ sent: true }, { sent: false }]);
    expect(JSON.stringify(audit)).not.toContain('me@example.com');
  });
});
