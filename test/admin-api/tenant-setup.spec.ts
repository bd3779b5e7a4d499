import { Client } from 'pg';
import { codeOf, startAdminApi } from '../support/admin-api-harness';

describe('a new tenant set up over GraphQL', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  beforeAll(async () => {
    api = await startAdminApi();
  });
  afterAll(() => api.close());

  it('operator creates a tenant and an admin key; the admin registers a number and Twilio credentials', async () => {
    const { tenantId, adminKey } = await api.tenantWithAdmin('Acme Pizza');
    expect(adminKey).toMatch(/^rf_[A-Za-z0-9_-]{43}$/);

    const me = await api.gql(adminKey, '{ me { kind role tenant { id name timeZone } } }');
    expect(me.data).toEqual({ me: { kind: 'API_KEY', role: 'ADMIN', tenant: { id: tenantId, name: 'Acme Pizza', timeZone: 'UTC' } } });

    const number = await api.gql(adminKey, 'mutation { addPhoneNumber(input: { number: "+1 (415) 555-0100", friendlyName: "Main line" }) { id e164 friendlyName } }');
    expect(number.data?.addPhoneNumber).toMatchObject({ e164: '+14155550100', friendlyName: 'Main line' });

    const token = 'f'.repeat(8) + '0123456789abcdef0123456789ab'.slice(0, 24);
    const set = await api.gql(adminKey, 'mutation($i: SetTwilioCredentialsInput!) { setTwilioCredentials(input: $i) { accountSid } }', {
      i: { accountSid: `AC${'1'.repeat(32)}`, authToken: token },
    });
    expect(set.data).toEqual({ setTwilioCredentials: { accountSid: `AC${'1'.repeat(32)}` } });

    // The token cannot be read back: the type has no such field, and the row holds only ciphertext.
    const readBack = await api.gql(adminKey, '{ twilioCredentials { accountSid authToken } }');
    expect(codeOf(readBack)).toBe('GRAPHQL_VALIDATION_FAILED');
    const owner = new Client({ connectionString: api.database.adminUrl });
    await owner.connect();
    const { rows } = await owner.query('SELECT auth_token_encrypted FROM twilio_credentials WHERE tenant_id = $1', [tenantId]);
    const audit = await owner.query('SELECT action, details::text FROM audit_log WHERE tenant_id = $1 ORDER BY id', [tenantId]);
    await owner.end();
    expect(rows[0].auth_token_encrypted).toMatch(/^v1\./);
    expect(rows[0].auth_token_encrypted).not.toContain(token);
    expect(audit.rows.map((r) => r.action)).toEqual(['tenant.create', 'api-key.create', 'phone-number.add', 'twilio-credentials.set']);
    expect(audit.rows.map((r) => r.details).join()).not.toContain(token);
  });

  it('the secret of a key is shown once: listings show only its prefix', async () => {
    const { adminKey } = await api.tenantWithAdmin('Prefix Co');
    const list = await api.gql(adminKey, '{ apiKeys { name role prefix lastUsedAt } }');
    expect(list.data?.apiKeys).toEqual([{ name: 'Prefix Co admin', role: 'ADMIN', prefix: adminKey.slice(0, 10), lastUsedAt: expect.any(String) }]);
    expect(JSON.stringify(list)).not.toContain(adminKey);
  });

  it('refuses a missing, unknown, revoked or expired key with UNAUTHENTICATED and says which', async () => {
    const { adminKey } = await api.tenantWithAdmin('Keys Inc');
    const none = await api.gql(undefined, '{ me { kind } }');
    expect(codeOf(none)).toBe('UNAUTHENTICATED');
    expect(none.errors![0].message).toMatch(/missing Authorization header/);

    const unknown = await api.gql(`rf_${'x'.repeat(43)}`, '{ me { kind } }');
    expect([codeOf(unknown), unknown.errors![0].message]).toEqual(['UNAUTHENTICATED', 'unknown API key']);

    const marketer = await api.keyFor(adminKey, 'MARKETER');
    await api.gql(adminKey, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: marketer.id });
    const revoked = await api.gql(marketer.secret, '{ me { kind } }');
    expect(codeOf(revoked)).toBe('UNAUTHENTICATED');
    expect(revoked.errors![0].message).toMatch(/revoked/);

    const soon = new Date(Date.now() + 1500).toISOString();
    const expiring = await api.gql(adminKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
      i: { name: 'short-lived', role: 'ANALYST', expiresAt: soon },
    });
    const shortKey = expiring.data!.createApiKey.secret;
    expect((await api.gql(shortKey, '{ me { role } }')).data).toEqual({ me: { role: 'ANALYST' } });
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await api.gql(shortKey, '{ me { role } }');
    expect(codeOf(expired)).toBe('UNAUTHENTICATED');
    expect(expired.errors![0].message).toMatch(/expired at/);
  });

  it('names what is wrong in bad input: unknown role, malformed number, bad credentials, bad time zone', async () => {
    const { adminKey } = await api.tenantWithAdmin('Input Ltd');
    const role = await api.gql(adminKey, 'mutation { createApiKey(input: { name: "x", role: SUPERUSER }) { secret } }');
    expect(codeOf(role)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(role.errors![0].message).toMatch(/SUPERUSER/);
    const roleVar = await api.gql(adminKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'x', role: 'ROOT' } });
    expect(codeOf(roleVar)).toBe('BAD_USER_INPUT');
    expect(roleVar.errors![0].message).toMatch(/ROOT/);

    const number = await api.gql(adminKey, 'mutation { addPhoneNumber(input: { number: "+1 555" }) { id } }');
    expect(number.errors![0]).toMatchObject({ message: 'number "+1 555" is too short', extensions: { code: 'BAD_USER_INPUT', field: 'number' } });
    const local = await api.gql(adminKey, 'mutation { addPhoneNumber(input: { number: "0301234567" }) { id } }');
    expect(local.errors![0].message).toMatch(/has no country code/);

    const sid = await api.gql(adminKey, 'mutation { setTwilioCredentials(input: { accountSid: "AB12", authToken: "x" }) { accountSid } }');
    expect(sid.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'accountSid' } });

    const zone = await api.gql(api.operatorKey, 'mutation { createTenant(input: { name: "Z", timeZone: "Mars/Olympus" }) { id } }');
    expect(zone.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'timeZone' } });
  });

  it('a number belongs to one tenant platform-wide', async () => {
    const a = await api.tenantWithAdmin('First Owner');
    const b = await api.tenantWithAdmin('Second Owner');
    await api.gql(a.adminKey, 'mutation { addPhoneNumber(input: { number: "+442079460000" }) { id } }');
    const taken = await api.gql(b.adminKey, 'mutation { addPhoneNumber(input: { number: "+44 20 7946 0000" }) { id } }');
    expect(taken.errors![0]).toMatchObject({ message: 'number +442079460000 is already registered on Ringflow', extensions: { code: 'CONFLICT' } });
  });

  it('serves liveness, readiness of Postgres and Redis, and Prometheus metrics without a key', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: { ok: true }, redis: { ok: true } } });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{.*app="admin-api"/);
  });
});

describe("a tenant's own settings", () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  beforeAll(async () => {
    api = await startAdminApi();
  });
  afterAll(() => api.close());

  it('an admin sets the fallback apology, transfer number and default caller id, and clears them again', async () => {
    const { adminKey } = await api.tenantWithAdmin('Settings Co');
    const set = await api.gql(adminKey, `mutation { updateTenant(input: {
      timeZone: "Europe/Berlin", fallbackMessage: "Sorry, our lines are down.", fallbackTransferNumber: "+1 415 555 0150", defaultCallerId: "+14155550151" }) {
      timeZone fallbackMessage fallbackTransferNumber defaultCallerId } }`);
    expect(set.data).toEqual({ updateTenant: {
      timeZone: 'Europe/Berlin', fallbackMessage: 'Sorry, our lines are down.', fallbackTransferNumber: '+14155550150', defaultCallerId: '+14155550151',
    } });
    const cleared = await api.gql(adminKey, 'mutation { updateTenant(input: { fallbackTransferNumber: null }) { fallbackMessage fallbackTransferNumber } }');
    expect(cleared.data).toEqual({ updateTenant: { fallbackMessage: 'Sorry, our lines are down.', fallbackTransferNumber: null } });
    const bad = await api.gql(adminKey, 'mutation { updateTenant(input: { defaultCallerId: "12" }) { id } }');
    expect(bad.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'defaultCallerId' } });
  });
});
