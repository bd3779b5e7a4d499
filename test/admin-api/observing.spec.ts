import { Client } from 'pg';
import { formatSerial, generateSerial, NO_CAMPAIGN } from '@ringflow/campaign';
import { codeOf, startAdminApi } from '../support/admin-api-harness';

const sid = (n: number) => `CA${String(n).padStart(32, '0')}`;

describe('observing: call records, coupons and the funnel', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let marketer: string;
  let analyst: string;
  let serial: string;
  let promotionId: string;
  beforeAll(async () => {
    api = await startAdminApi();
    const { adminKey, tenantId } = await api.tenantWithAdmin('Watch Tower');
    marketer = (await api.keyFor(adminKey, 'MARKETER')).secret;
    analyst = (await api.keyFor(adminKey, 'ANALYST')).secret;
    const promotion = await api.gql(marketer, 'mutation { createPromotion(input: { name: "W", offer: "Cake", discount: "1 EUR", validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" }) { id } }');
    promotionId = promotion.data!.createPromotion.id;
    serial = generateSerial();
    // What the gateway and worker-sms write: call records and an issued coupon.
    const owner = new Client({ connectionString: api.database.adminUrl });
    await owner.connect();
    const calls = [
      [sid(1), '+14155550101', '+14155550100', 'completed', '2026-11-20T10:00:00Z', ['welcome', 'menu', 'coupon']],
      [sid(2), '+14155550102', '+14155550100', 'no-input', '2026-11-21T10:00:00Z', ['welcome', 'menu']],
      [sid(3), '+14155550101', '+14155550100', 'completed', '2026-11-22T10:00:00Z', ['welcome']],
    ];
    for (const [callSid, from, to, outcome, endedAt, path] of calls) {
      await owner.query(
        `INSERT INTO call_records (tenant_id, call_sid, from_number, to_number, direction, ended_at, duration_seconds, outcome, node_path)
         VALUES ($1, $2, $3, $4, 'inbound', $5, 42, $6, $7)`,
        [tenantId, callSid, from, to, endedAt, outcome, path],
      );
    }
    await owner.query(
      `INSERT INTO coupons (tenant_id, promotion_id, serial, phone, issue_key, expires_at) VALUES ($1, $2, $3, '+14155550101', 'call-1', '2026-12-31T00:00:00Z')`,
      [tenantId, promotionId, serial],
    );
    const other = await api.gql(marketer, 'mutation { createPromotion(input: { name: "X", offer: "Pie", discount: "2 EUR", validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" }) { id } }');
    await owner.query(
      `INSERT INTO funnel_counters (tenant_id, promotion_id, campaign_id, issued, sent, delivered, failed, redeemed, revenue)
       VALUES ($1, $2, $4, 5, 5, 4, 1, 2, 25.50), ($1, $3, $4, 1, 1, 1, 0, 1, 3.00)`,
      [tenantId, promotionId, other.data!.createPromotion.id, NO_CAMPAIGN],
    );
    await owner.end();
  });
  afterAll(() => api.close());

  it('call records filtered by time, number and outcome, newest first, with the node path', async () => {
    const q = 'query($f: CallRecordFilterInput) { callRecords(filter: $f) { edges { node { callSid from outcome nodePath durationSeconds } } } }';
    const all = await api.gql(marketer, q, {});
    expect(all.data!.callRecords.edges.map((e: { node: { callSid: string } }) => e.node.callSid)).toEqual([sid(3), sid(2), sid(1)]);
    const filtered = await api.gql(marketer, q, { f: { number: '+1 415-555-0101', outcome: 'completed', endedBefore: '2026-11-21T00:00:00Z' } });
    expect(filtered.data!.callRecords.edges).toEqual([{ node: { callSid: sid(1), from: '+14155550101', outcome: 'completed', nodePath: ['welcome', 'menu', 'coupon'], durationSeconds: 42 } }]);
    const since = await api.gql(marketer, q, { f: { endedAfter: '2026-11-21T00:00:00Z' } });
    expect(since.data!.callRecords.edges).toHaveLength(2);

    const masked = await api.gql(analyst, q, { f: { outcome: 'no-input' } });
    expect(masked.data!.callRecords.edges[0].node.from).toBe('+1415*****02');
    expect(codeOf(await api.gql(analyst, q, { f: { number: '+14155550101' } }))).toBe('FORBIDDEN');
  });

  it('coupons found by serial as typed, or by phone; an analyst sees the phone masked and cannot search by it', async () => {
    const typed = formatSerial(serial).toLowerCase().replace(/-/g, ' ');
    const q = 'query($s: CouponSearchInput) { coupons(search: $s) { edges { node { serial phone promotionId redeemedAt smsStatus } } } }';
    const bySerial = await api.gql(marketer, q, { s: { serial: typed } });
    expect(bySerial.data!.coupons.edges).toEqual([{ node: { serial: formatSerial(serial), phone: '+14155550101', promotionId, redeemedAt: null, smsStatus: 'pending' } }]);
    expect((await api.gql(marketer, q, { s: { phone: '+1 (415) 555-0101' } })).data!.coupons.edges).toHaveLength(1);
    expect((await api.gql(marketer, q, { s: { phone: '+14155550109' } })).data!.coupons.edges).toEqual([]);

    const forAnalyst = await api.gql(analyst, q, { s: { serial } });
    expect(forAnalyst.data!.coupons.edges[0].node.phone).toBe('+1415*****01');
    const byPhone = await api.gql(analyst, q, { s: { phone: '+14155550101' } });
    expect(byPhone.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN', field: 'phone' } });
    const malformed = await api.gql(marketer, q, { s: { serial: 'ABC' } });
    expect(malformed.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'serial' } });
  });

  it('funnel totals for the tenant and per promotion (the counters the workers keep)', async () => {
    const funnel = await api.gql(analyst, 'query($p: ID) { all: funnel { issued revenue } one: funnel(promotionId: $p) { issued sent delivered failed redeemed revenue } }', { p: promotionId });
    expect(funnel.data).toEqual({ all: { issued: 6, revenue: '28.50' }, one: { issued: 5, sent: 5, delivered: 4, failed: 1, redeemed: 2, revenue: '25.50' } });
    const bad = await api.gql(analyst, '{ funnel(campaignId: "nope") { issued } }');
    expect(bad.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'campaignId' } });
  });
});
