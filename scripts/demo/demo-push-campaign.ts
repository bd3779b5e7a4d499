// The push campaign of the demo: a campaign call, key 1, the coupon SMS, a redemption, and the conversion.
import { daytimeZone } from '@ringflow/testing';
import type { SimCallView, SimMessageView } from '../../apps/telephony-sim/src/scenario/sim-control.client';
import { DEMO_CALLEE, DEMO_NUMBERS, type DemoClient, type DemoTenant } from './demo-tenant';

export interface PushCampaignResult {
  passed: boolean;
  lines: string[];
  funnel?: { sent: number; delivered: number; redeemed: number };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runPushCampaign(demo: DemoClient, tenant: DemoTenant): Promise<PushCampaignResult> {
  const lines: string[] = [];
  const admin = tenant.adminKey;
  try {
    await demo.sim('PUT', `/sim/phones/${encodeURIComponent(DEMO_CALLEE)}`, { answer: 'human', presses: ['1'] });
    const zone = daytimeZone();
    await demo.gql(admin, 'mutation($l: ID!, $r: [ContactInput!]) { importContacts(listId: $l, rows: $r) { imported } }', {
      l: tenant.pushListId, r: [{ phone: DEMO_CALLEE, name: 'Sam', timeZone: zone }],
    });
    const { createCampaign } = await demo.gql(admin, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: `Spring push ${new Date().toISOString()}`, listId: tenant.pushListId, callerId: DEMO_NUMBERS.campaign, flowId: tenant.pushFlowId, flowVersion: 1, callsPerSecond: 1, maxConcurrentCalls: 1 },
    });
    const campaignId: string = createCampaign.id;
    await demo.gql(admin, 'mutation($id: ID!) { launchCampaign(id: $id) { status } }', { id: campaignId });
    lines.push(`campaign launched: Sam (${DEMO_CALLEE}, ${zone}) is called from ${DEMO_NUMBERS.campaign}`);

    const call = await waitFor('the campaign call to end', async () => {
      const calls = await demo.sim<SimCallView[]>('GET', `/sim/calls?to=${encodeURIComponent(DEMO_CALLEE)}&direction=outbound-api`);
      return calls.find((c) => c.status === 'completed');
    });
    lines.push(...call.lines.filter((l) => !l.includes(' POST ')).map((l) => `  ${l}`));
    const sms = await waitFor('the coupon SMS', async () => {
      const inbox = await demo.sim<SimMessageView[]>('GET', `/sim/messages?to=${encodeURIComponent(DEMO_CALLEE)}`);
      return inbox.filter((m) => /Your code: /.test(m.body)).pop();
    });
    lines.push(`SMS to Sam: "${sms.body}"`);
    const serial = /Your code: ([0-9A-Z-]+)\./.exec(sms.body)?.[1];
    const redeem = async () => {
      const response = await fetch(`${demo.at.gatewayUrl}/api/v1/redemptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.merchantKey}` },
        body: JSON.stringify({ serial, orderAmount: '42.00' }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const first = await redeem();
    lines.push(`merchant redeems ${serial}: ${first.status} ${first.body.outcome}`);
    const second = await redeem();
    lines.push(`and tries again: ${second.status} ${second.body.outcome}`);
    const funnel = await waitFor('the redemption in the funnel', async () => {
      const { funnel } = await demo.gql(admin, 'query($c: ID!) { funnel(campaignId: $c) { sent delivered redeemed } }', { c: campaignId });
      return funnel.redeemed > 0 && funnel;
    });
    lines.push(`funnel: SMS sent ${funnel.sent}, delivered ${funnel.delivered}, redeemed ${funnel.redeemed}: conversion ${funnel.redeemed}/${funnel.sent}`);
    return { passed: first.status === 200 && second.status === 409 && funnel.redeemed === 1, lines, funnel };
  } catch (error) {
    lines.push(`! ${error instanceof Error ? error.message : String(error)}`);
    return { passed: false, lines };
  }
}
