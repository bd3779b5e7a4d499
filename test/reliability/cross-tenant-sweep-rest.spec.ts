import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import {
  CAMPAIGN_ENTITIES, CouponIssuerService, generateSerial, MerchantKeysService, MerchantsService, MerchantUsersService, PromotionsService,
} from '@ringflow/campaign';
import { ApiKeyEntity, ApiKeysService, AuditEntryEntity, TenantDatabase, TenantEntity } from '@ringflow/tenancy';
import { gatewayOpenApiDocument } from '../../apps/gateway/src/openapi/openapi-document';
import { PUBLIC_BASE_URL, startGateways, type GatewayHarness, type TestTenant } from '../gateway/support/gateway-harness';
import { SignedCall } from '../gateway/support/signed-call';
import { MerchantWebClient } from '../merchant/support/merchant-web-client';
import { fastifyRoutes, restOperations, type RestOperation, type RestSlot } from './support/rest-sweep';
import { inParallel, shapeOf, snapshot } from './support/sweep-helpers';

/** Holds the caller in a wait node, so the call stays live with a session for the whole file. */
const HOLD = {
  schemaVersion: 1, name: 'Hold', start: 'hold',
  nodes: {
    hold: { type: 'wait', variable: 'go', pollSeconds: 1, timeoutSeconds: 600, prompts: [{ kind: 'say', text: 'One moment.' }], next: { set: 'bye', timeout: 'bye' } },
    bye: { type: 'hangup' },
  },
};

interface RestTenant extends TestTenant {
  merchantKey: string;
  email: string;
  password: string;
  ids: Record<string, string>;
}

/** Body values that are not ids. */
const BODY_SAMPLES: Record<string, unknown> = { variables: { note: 'written by the sweep' } };

/** Routes outside the OpenAPI document: how the sweep reaches each with another tenant's ids, or why it holds none. */
type Outside = { kind: 'webhook' } | { kind: 'merchant-redeem' } | { kind: 'no tenant input'; why: string };
const OUTSIDE: Record<string, Outside> = {
  'POST /twilio/voice': { kind: 'webhook' },
  'POST /twilio/voice/step/:tenantId/:callSid': { kind: 'webhook' },
  'POST /twilio/voice/hold/:tenantId/:callSid': { kind: 'webhook' },
  'POST /twilio/voice/status': { kind: 'webhook' },
  'POST /twilio/sms': { kind: 'webhook' },
  'POST /twilio/sms/status': { kind: 'webhook' },
  'POST /merchant/redeem': { kind: 'merchant-redeem' },
  'GET /merchant': { kind: 'no tenant input', why: 'the sign-in form, or the page of the signed-in merchant' },
  'POST /merchant/sign-in': { kind: 'no tenant input', why: 'email and password (test/merchant: stuffing, lockout, fixation)' },
  'POST /merchant/sign-out': { kind: 'no tenant input', why: 'ends the cookie\'s own session' },
  'GET /healthz': { kind: 'no tenant input', why: 'liveness' },
  'GET /readyz': { kind: 'no tenant input', why: 'readiness' },
  'GET /metrics': { kind: 'no tenant input', why: 'Prometheus' },
  'GET /api/v1/openapi.json': { kind: 'no tenant input', why: 'the public document' },
};

describe("every gateway route, called with tenant B's keys and tenant A's ids", () => {
  let gw: GatewayHarness;
  let owner: Client;
  let dataSource: DataSource;
  const t = {} as Record<'a' | 'b', RestTenant>;
  let operations: RestOperation[];

  async function tenant(name: string, number: string, digit: string): Promise<RestTenant> {
    const base = await gw.tenantWithFlow(name, number, HOLD);
    const db = new TenantDatabase(dataSource);
    const now = Date.now();
    const promotion = await new PromotionsService(db).create(
      base.tenantId, { name: 'P', offer: 'Tea', discount: '5%', validFrom: new Date(now - 86_400_000), validUntil: new Date(now + 30 * 86_400_000) }, 'admin',
    );
    const merchant = await new MerchantsService(db).create(base.tenantId, { name: `${name} shop` }, 'admin');
    const key = await new ApiKeysService(db).create(base.tenantId, { name: 'till', role: 'merchant' }, 'admin');
    await new MerchantKeysService(db).bind(base.tenantId, { apiKeyId: key.apiKey.id, merchantId: merchant.id }, 'admin');
    const email = `clerk-${digit}@sweep.example`;
    const password = 'a long enough password';
    await new MerchantUsersService(db, dataSource).create(base.tenantId, { merchantId: merchant.id, email, password }, 'admin');
    const issuer = new CouponIssuerService(db);
    const coupon = (n: number) => issuer.issue(base.tenantId, { promotionId: promotion.id, phone: `+1415555016${digit}`, issueKey: `sweep-${n}` });
    const call = new SignedCall([gw.url], base, `+1555123000${digit}`);
    await call.start();
    const ids = { tenant: base.tenantId, call: call.callSid, serial: (await coupon(1)).serial, serial2: (await coupon(2)).serial };
    return { ...base, merchantKey: key.secret, email, password, ids };
  }

  beforeAll(async () => {
    gw = await startGateways();
    owner = new Client({ connectionString: gw.database.adminUrl });
    await owner.connect();
    dataSource = await new DataSource({
      type: 'postgres', url: gw.database.appUrl, poolSize: 2, entities: [TenantEntity, ApiKeyEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES],
    }).initialize();
    t.a = await tenant('Tenant A', '+14155550181', '1');
    t.b = await tenant('Tenant B', '+14155550182', '2');
    operations = restOperations(gatewayOpenApiDocument(gw.apps[0]) as never, BODY_SAMPLES);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await owner?.end();
    await gw?.close();
  });

  const unknownOf: Record<string, () => string> = {
    call: () => `CA${randomBytes(16).toString('hex')}`, tenant: () => randomUUID(), serial: () => generateSerial(),
  };
  const keysOfB = () => ({ admin: t.b.adminKey, analyst: t.b.analystKey, merchant: t.b.merchantKey });

  async function callAs(key: string, operation: RestOperation, pick: (slot: RestSlot) => string | undefined) {
    const { path, body } = operation.request(pick);
    const answer = await gw.api(gw.url, key, operation.method, path, body);
    return { status: answer.status, body: answer.body };
  }

  /** What A owns, past RLS, and A's live call as A's CRM reads it. */
  async function stateOfA() {
    const session = await gw.api(gw.url, t.a.adminKey, 'GET', `/api/v1/calls/${t.a.ids.call}/session`);
    return { rows: await snapshot(owner, t.a.tenantId), session: session.body, calls: (await gw.api(gw.url, t.a.adminKey, 'GET', '/api/v1/calls')).body };
  }

  it('knows every route the gateway serves: in the OpenAPI document, or in the table of routes outside it', () => {
    const documented = operations.map((o) => `${o.method} ${o.route}`);
    const served = fastifyRoutes(gw.apps[0].getHttpAdapter().getInstance());
    expect(served.filter((r) => !documented.includes(r) && !(r in OUTSIDE))).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(4);
    expect(operations.flatMap((o) => o.slots.map((s) => `${o.operationId}:${s.name}`))).toEqual(
      expect.arrayContaining(['getCallSession:callSid', 'patchCallSession:callSid', 'redeemCoupon:serial', 'listActiveCalls:tenantId']),
    );
  });

  it("REST: each of B's keys gets the same answer for A's id as for an unknown one, and A's call, session and coupons are unchanged", async () => {
    const before = await stateOfA();
    const leaks: string[] = [];
    await inParallel(operations, async (operation) => {
      for (const target of operation.slots) {
        for (const [role, key] of Object.entries(keysOfB())) {
          const unknown = unknownOf[target.kind]();
          const chosen = (value: string) => (slot: RestSlot) => (slot === target ? value : slot.required ? t.b.ids[slot.kind] : undefined);
          const a = shapeOf(await callAs(key, operation, chosen(t.a.ids[target.kind])), [t.a.ids[target.kind]]);
          const u = shapeOf(await callAs(key, operation, chosen(unknown)), [unknown]);
          if (a !== u) leaks.push(`${operation.method} ${operation.route} ${target.name} (B's ${role} key): A's ${a}\n    unknown ${u}`);
        }
      }
    });
    expect(leaks).toEqual([]);
    expect(await stateOfA()).toEqual(before);
  });

  it("webhooks: a request on A's number, call and step URLs signed with B's token is refused as an unsigned one is", async () => {
    const before = await stateOfA();
    const differ: string[] = [];
    for (const [route, how] of Object.entries(OUTSIDE)) {
      if (how.kind !== 'webhook') continue;
      const path = route.slice('POST '.length).replace(':tenantId', t.a.tenantId).replace(':callSid', t.a.ids.call);
      const params = {
        CallSid: t.a.ids.call, MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: t.a.accountSid,
        // A message status comes from the tenant's number; everything else is to it.
        ...(path === '/twilio/sms/status' ? { From: t.a.number, To: '+15551230001' } : { From: '+15551230001', To: t.a.number }),
        CallStatus: 'in-progress', MessageStatus: 'delivered', Body: 'YES', Digits: '1', ApiVersion: '2010-04-01',
      };
      const post = (token: string) => fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${PUBLIC_BASE_URL}${path}`, params) },
        body: new URLSearchParams(params).toString(),
      }).then(async (r) => ({ status: r.status, body: await r.text() }));
      const withB = await post(t.b.authToken);
      const withNobody = await post(randomBytes(16).toString('hex'));
      if (withB.status !== 403 || JSON.stringify(withB) !== JSON.stringify(withNobody)) differ.push(`${route}: B ${JSON.stringify(withB)} / unsigned ${JSON.stringify(withNobody)}`);
    }
    expect(differ).toEqual([]);
    expect(await stateOfA()).toEqual(before);
  });

  it("merchant page: B's signed-in clerk typing A's serial reads what an unknown serial reads; routes without ids leak none of A's", async () => {
    const clerk = new MerchantWebClient(gw.url);
    expect((await clerk.signIn(t.b.email, t.b.password)).status).toBe(200);
    const redeem = async (serial: string) => {
      const page = await clerk.post('/merchant/redeem', { serial });
      return shapeOf({ status: page.status, html: page.html.replace(/name="csrf" value="[^"]+"/, '') }, [serial, serial.replace(/(.{5})(.{5})/, '$1-$2-')]);
    };
    const before = await snapshot(owner, t.a.tenantId);
    expect(await redeem(t.a.ids.serial2)).toBe(await redeem(generateSerial()));
    expect(await redeem(t.b.ids.serial2)).not.toBe(await redeem(generateSerial()));
    expect(await snapshot(owner, t.a.tenantId)).toEqual(before);

    for (const [route, how] of Object.entries(OUTSIDE)) {
      if (how.kind !== 'no tenant input' || !route.startsWith('GET ')) continue;
      const text = await (await fetch(`${gw.url}${route.slice(4)}`)).text();
      for (const secret of [t.a.tenantId, t.a.number, t.a.ids.call, t.a.ids.serial, t.a.accountSid]) expect({ route, leaked: text.includes(secret) }).toEqual({ route, leaked: false });
    }
  });

  it("finds B's own ids with the same requests (each refusal above is about the id)", async () => {
    const notFound: string[] = [];
    for (const operation of operations) {
      for (const target of operation.slots) {
        const answers = await Promise.all(Object.values(keysOfB()).map(async (key) => {
          const unknown = unknownOf[target.kind]();
          const chosen = (value: string) => (slot: RestSlot) => (slot === target ? value : slot.required ? t.b.ids[slot.kind] : undefined);
          const u = shapeOf(await callAs(key, operation, chosen(unknown)), [unknown]);
          const own = shapeOf(await callAs(key, operation, chosen(t.b.ids[target.kind])), [t.b.ids[target.kind]]);
          return own !== u;
        }));
        if (!answers.some(Boolean)) notFound.push(`${operation.method} ${operation.route} ${target.name}`);
      }
    }
    expect(notFound).toEqual([]);
  });
});
