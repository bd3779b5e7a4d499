// The demo tenant, made the way a tenant admin and a marketer would: through the admin API only.
// Used by `npm run demo` (scripts/demo/demo-setup.ts) and by the end-to-end test of the use cases.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedFlows } from '@ringflow/flow';
import { loadScenarioFile } from '../../apps/telephony-sim/src/scenario/scenario-loader';
import { type ScenarioResult, ScenarioRunner } from '../../apps/telephony-sim/src/scenario/scenario-runner';

export interface DemoEndpoints {
  adminUrl: string;
  simUrl: string;
  gatewayUrl: string;
  crmUrl: string;
  operatorKey: string;
}

export interface DemoTenant {
  tenantId: string;
  adminKey: string;
  merchantKey: string;
  accountSid: string;
  authToken: string;
  promotionId: string;
  pushFlowId: string;
  pushListId: string;
}

/** One number per inbound use case, and the caller id of the push campaign. */
export const DEMO_NUMBERS = { card: '+14155550101', crm: '+14155550102', vip: '+14155550103', queue: '+14155550104', campaign: '+14155550105' };
export const DEMO_CALLEE = '+14155550191';
export const DEMO_MERCHANT_USER = { email: 'cashier@demo.example', password: 'demo-cashier-pass-1' };
const AGENTS = [
  { name: 'Ann', phone: '+14155550171' },
  { name: 'Bob', phone: '+14155550172' },
];

export class DemoClient {
  constructor(readonly at: DemoEndpoints) {}

  async gql<T = any>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await fetch(this.at.adminUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`admin API: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  }

  async sim<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.at.simUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Points the seed flows' example hosts at the demo CRM. */
  forDemo(flow: unknown): unknown {
    const crm = this.at.crmUrl;
    return JSON.parse(JSON.stringify(flow).replaceAll('https://api.acme-bank.example', crm).replaceAll('https://crm.example.com', crm));
  }

  async publish(adminKey: string, document: unknown, bindTo?: string): Promise<string> {
    const { createFlow } = await this.gql(adminKey, 'mutation($d: JSON!) { createFlow(document: $d) { flow { id } errors { nodeId field message } } }', { d: document });
    if (!createFlow.flow) throw new Error(`demo flow refused: ${JSON.stringify(createFlow.errors)}`);
    await this.gql(adminKey, 'mutation($id: ID!) { publishFlow(id: $id) { version { version } } }', { id: createFlow.flow.id });
    if (bindTo) await this.gql(adminKey, 'mutation($i: BindNumberInput!) { bindNumberToFlow(input: $i) }', { i: { number: bindTo, flowId: createFlow.flow.id } });
    return createFlow.flow.id;
  }
}

/** The seed queue flow without its office-hours check, so the demo queues callers at any hour. */
function alwaysOpen(flow: unknown): unknown {
  const { open_check: _hours, ...nodes } = (flow as { nodes: Record<string, unknown> }).nodes;
  return { ...(flow as object), start: 'lookup', nodes };
}

/** Creates the tenant and everything the use cases need, as an operator, an admin and a marketer would. */
export async function createDemoTenant(demo: DemoClient): Promise<DemoTenant> {
  const op = demo.at.operatorKey;
  const { createTenant } = await demo.gql(op, 'mutation { createTenant(input: { name: "Demo Co", timeZone: "America/Los_Angeles" }) { id } }');
  const tenantId: string = createTenant.id;
  const key = async (role: string, name: string) =>
    (await demo.gql(op, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }', { i: { tenantId, name, role } })).createApiKey;
  const admin = (await key('ADMIN', 'demo admin')).secret as string;
  const account = await demo.sim<{ sid: string; token: string }>('POST', '/sim/accounts', { cps: 10, mps: 20 });
  await demo.gql(admin, 'mutation($i: SetTwilioCredentialsInput!) { setTwilioCredentials(input: $i) { accountSid } }', {
    i: { accountSid: account.sid, authToken: account.token },
  });
  for (const number of Object.values(DEMO_NUMBERS)) {
    await demo.gql(admin, 'mutation($n: String!) { addPhoneNumber(input: { number: $n }) { id } }', { n: number }).catch((error: Error) => {
      if (!/already registered/.test(error.message)) throw error;
      throw new Error(`${number} belongs to an earlier demo tenant whose key is lost: run \`npm run demo -- reset\`, then \`npm run demo\``);
    });
  }
  await demo.publish(admin, demo.forDemo(seedFlows.cardActivation), DEMO_NUMBERS.card);
  await demo.publish(admin, demo.forDemo(seedFlows.crmLookup), DEMO_NUMBERS.crm);
  await demo.publish(admin, demo.forDemo(seedFlows.vipRouting), DEMO_NUMBERS.vip);
  await demo.publish(admin, demo.forDemo(alwaysOpen(seedFlows.pullQueue)), DEMO_NUMBERS.queue);

  const agentIds: string[] = [];
  for (const agent of AGENTS) agentIds.push((await demo.gql(admin, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: agent })).createAgent.id);
  await demo.gql(admin, 'mutation($i: CreateCallQueueInput!) { createCallQueue(input: $i) { id } }', { i: { name: 'support', agentIds, announcePosition: true } });

  // The push campaign: a promotion, a merchant who redeems, the flow that offers the coupon, and an audience.
  const now = Date.now();
  const { createPromotion } = await demo.gql(admin, 'mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id } }', {
    i: { name: 'Spring', offer: 'Spring coupon', discount: '20% off', validFrom: new Date(now - 60_000), validUntil: new Date(now + 365 * 86_400_000) },
  });
  const push = seedFlows.pushCampaign as { nodes: Record<string, object> };
  const pushFlowId = await demo.publish(admin, { ...push, nodes: { ...push.nodes, coupon: { ...push.nodes.coupon, promotionId: createPromotion.id } } });
  const { createMerchant } = await demo.gql(admin, 'mutation { createMerchant(input: { name: "Demo Main Street" }) { id } }');
  const till = await key('MERCHANT', 'demo till');
  await demo.gql(admin, 'mutation($i: BindMerchantKeyInput!) { bindMerchantKey(input: $i) { merchantId } }', { i: { apiKeyId: till.apiKey.id, merchantId: createMerchant.id } });
  await demo.gql(admin, 'mutation($i: CreateMerchantUserInput!) { createMerchantUser(input: $i) { id } }', { i: { merchantId: createMerchant.id, ...DEMO_MERCHANT_USER } });
  const { createContactList } = await demo.gql(admin, 'mutation { createContactList(name: "Spring audience") { id } }');

  return {
    tenantId, adminKey: admin, merchantKey: till.secret, accountSid: account.sid, authToken: account.token,
    promotionId: createPromotion.id, pushFlowId, pushListId: createContactList.id,
  };
}

/** The simulator keeps nothing across restarts: give it the tenant's account and numbers each time. */
export async function registerOnSimulator(demo: DemoClient, tenant: DemoTenant): Promise<void> {
  const gw = demo.at.gatewayUrl;
  await demo.sim('POST', '/sim/accounts', { sid: tenant.accountSid, token: tenant.authToken, cps: 10, mps: 20 });
  for (const number of Object.values(DEMO_NUMBERS)) {
    await demo.sim('POST', '/sim/numbers', {
      accountSid: tenant.accountSid, phoneNumber: number,
      voiceUrl: `${gw}/twilio/voice`, statusCallback: `${gw}/twilio/voice/status`, smsUrl: `${gw}/twilio/sms`,
    });
  }
}

/** Plays every scenario file of scripts/demo/scenarios against the simulator. */
export async function runDemoScenarios(demo: DemoClient): Promise<ScenarioResult[]> {
  const vars = { cardNumber: DEMO_NUMBERS.card, crmNumber: DEMO_NUMBERS.crm, vipNumber: DEMO_NUMBERS.vip, queueNumber: DEMO_NUMBERS.queue };
  const runner = new ScenarioRunner(demo.at.simUrl);
  const dir = join(__dirname, 'scenarios');
  const results: ScenarioResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) results.push(await runner.run(loadScenarioFile(join(dir, file), vars)));
  return results;
}
