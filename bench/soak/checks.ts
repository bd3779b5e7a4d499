// Correctness at the end of the soak, read past row-level security as the database owner and through the admin API.
import { Client } from 'pg';
import type { Campaigns, InboundCalls } from './load';
import type { AdminClient, SoakTenant } from './tenants';

export interface Check { name: string; ok: boolean; detail: string }

interface SimCall { sid: string; status: string; direction: string }

export async function endChecks(input: {
  adminDbUrl: string; client: AdminClient; a: SoakTenant; b: SoakTenant; calls: InboundCalls; campaigns: Campaigns; mixedTenantLines: string[];
}): Promise<Check[]> {
  const { client, a, b, calls, campaigns } = input;
  const checks: Check[] = [];
  const db = new Client({ connectionString: input.adminDbUrl });
  await db.connect();
  try {
    // Every campaign contact has a disposition.
    const contacts = await db.query<{ disposition: string | null; n: string }>(
      'SELECT disposition, count(*) AS n FROM campaign_contacts WHERE tenant_id = $1 GROUP BY disposition ORDER BY disposition', [a.tenantId]);
    const total = contacts.rows.reduce((s, r) => s + Number(r.n), 0);
    const open = contacts.rows.filter((r) => r.disposition === null).reduce((s, r) => s + Number(r.n), 0);
    const expectedContacts = [...campaigns.contactsByCampaign.values()].reduce((s, n) => s + n, 0);
    checks.push({
      name: 'every campaign contact has a disposition', ok: open === 0 && total === expectedContacts,
      detail: `${total} contacts in ${campaigns.campaignIds.length} campaigns (${expectedContacts} imported), ${open} without one; ${contacts.rows.filter((r) => r.disposition).map((r) => `${r.disposition} ${r.n}`).join(', ')}`,
    });
    const statuses = await db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM campaigns WHERE tenant_id = $1 GROUP BY status', [a.tenantId]);
    checks.push({ name: 'every campaign completed', ok: statuses.rows.every((r) => r.status === 'completed'), detail: statuses.rows.map((r) => `${r.status} ${r.n}`).join(', ') });

    // Every redeemed coupon counted once in the funnel, overall and per campaign.
    const redeemedDb = Number((await db.query('SELECT count(*) AS n FROM coupons WHERE tenant_id = $1 AND redeemed_at IS NOT NULL', [a.tenantId])).rows[0].n);
    const { funnel } = await client.gql(a.adminKey, 'query($p: ID) { funnel(promotionId: $p) { issued sent delivered failed redeemed } }', { p: a.promotionId });
    checks.push({
      name: 'every redeemed coupon counted once in the funnel', ok: funnel.redeemed === campaigns.redeemed.size && redeemedDb === campaigns.redeemed.size,
      detail: `merchant got 200 for ${campaigns.redeemed.size}; coupons redeemed in the database ${redeemedDb}; funnel redeemed ${funnel.redeemed} (issued ${funnel.issued}, sent ${funnel.sent}, delivered ${funnel.delivered}, failed ${funnel.failed})`,
    });
    const wrong: string[] = [];
    for (const campaignId of campaigns.campaignIds) {
      const mine = [...campaigns.redeemed.values()].filter((c) => c === campaignId).length;
      const per = (await client.gql(a.adminKey, 'query($c: ID) { funnel(campaignId: $c) { redeemed } }', { c: campaignId })).funnel;
      if (per.redeemed !== mine) wrong.push(`${campaignId}: funnel ${per.redeemed}, merchant 200s ${mine}`);
    }
    checks.push({ name: 'per-campaign funnel matches the redemptions', ok: wrong.length === 0, detail: wrong.length ? wrong.slice(0, 5).join('; ') : `${campaigns.campaignIds.length} campaigns agree` });
    const coupons = await db.query<{ sms_status: string; n: string }>('SELECT sms_status, count(*) AS n FROM coupons WHERE tenant_id = $1 GROUP BY sms_status', [a.tenantId]);
    const failedSms = coupons.rows.filter((r) => r.sms_status === 'failed' || r.sms_status === 'pending').reduce((s, r) => s + Number(r.n), 0);
    checks.push({ name: 'every coupon SMS sent and delivered', ok: failedSms === 0, detail: coupons.rows.map((r) => `${r.sms_status} ${r.n}`).join(', ') });

    // Call records == completed calls, per tenant, and no tenant's record names the other's numbers.
    const records = await db.query<{ tenant_id: string; call_sid: string; from_number: string; to_number: string; outcome: string }>(
      'SELECT tenant_id, call_sid, from_number, to_number, outcome FROM call_records');
    const simInbound = async (tenant: SoakTenant) => client.sim<SimCall[]>('GET', `/sim/calls?to=${encodeURIComponent(tenant.inbound)}&direction=inbound`);
    const simOutbound = await client.sim<SimCall[]>('GET', `/sim/calls?from=${encodeURIComponent(a.campaignCallerId!)}&direction=outbound-api`);
    for (const tenant of [a, b]) {
      const sims = [...(await simInbound(tenant)), ...(tenant === a ? simOutbound : [])];
      const statusOf = new Map(sims.map((c) => [c.sid, c.status]));
      const completed = new Set(sims.filter((c) => c.status === 'completed').map((c) => c.sid));
      const mine = records.rows.filter((r) => r.tenant_id === tenant.tenantId);
      const recorded = new Set(mine.map((r) => r.call_sid));
      const missing = [...completed].filter((sid) => !recorded.has(sid));
      // A campaign call that ended busy or unanswered also gets a record, its outcome saying so: fine when they agree.
      const unanswered = mine.filter((r) => !completed.has(r.call_sid));
      const disagree = unanswered.filter((r) => statusOf.get(r.call_sid) !== r.outcome);
      const byOutcome = new Map<string, number>();
      for (const r of unanswered) byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
      checks.push({
        name: `call records == completed calls (tenant ${tenant.name})`, ok: missing.length === 0 && disagree.length === 0,
        detail: `${completed.size} completed calls (${calls.completed.get(tenant.tenantId)!.size} inbound seen by the driver), ${recorded.size} records; `
          + `${missing.length} completed without a record${missing.length ? ` (e.g. ${missing.slice(0, 2).join(', ')})` : ''}; `
          + `${unanswered.length} records of unanswered calls${unanswered.length ? ` (outcome ${[...byOutcome].map(([o, n]) => `${o} ${n}`).join(', ')})` : ''}, `
          + `${disagree.length} of them with an outcome the simulator disagrees with${disagree.length ? ` (e.g. ${disagree.slice(0, 2).map((r) => `${r.call_sid} ${r.outcome} vs ${statusOf.get(r.call_sid) ?? 'unknown'}`).join(', ')})` : ''}`,
      });
      const numbers = new Set([tenant.inbound, ...(tenant.campaignCallerId ? [tenant.campaignCallerId] : [])]);
      const foreign = mine.filter((r) => !numbers.has(r.to_number) && !numbers.has(r.from_number));
      checks.push({ name: `tenant ${tenant.name}'s call records name only its own numbers`, ok: foreign.length === 0, detail: `${foreign.length} of ${mine.length} do not` });
    }
    checks.push({ name: 'no log line names both tenants', ok: input.mixedTenantLines.length === 0, detail: input.mixedTenantLines.slice(0, 2).join(' | ') || 'none' });

    // The flow's SMS node: one message from A's number per call that heard "sent you a text".
    const flowSms = await client.sim<Array<{ status: string }>>('GET', `/sim/messages?from=${encodeURIComponent(a.inbound)}`);
    const bad = flowSms.filter((m) => !['delivered', 'sent', 'queued', 'sending'].includes(m.status));
    checks.push({
      name: 'one flow SMS per caller told so, none failed', ok: bad.length === 0 && flowSms.filter((m) => m.status !== 'received').length >= calls.textedCalls,
      detail: `${calls.textedCalls} callers heard "${'We have sent you a text'}"; ${flowSms.length} messages from A's number (includes automatic STOP/START/HELP answers); ${bad.length} not delivered`,
    });
  } finally {
    await db.end();
  }
  return checks;
}
