// The soak's tenants, made as an operator, a tenant admin and a marketer would: through the admin API only.
import { seedFlows } from '@ringflow/flow';
import type { Recorder } from './recorder';

export interface SoakEndpoints { adminUrl: string; simUrl: string; publicBaseUrl: string; gatewayUrl: string; crmUrl: string; operatorKey: string }

export interface SoakTenant {
  name: 'A' | 'B';
  tenantId: string;
  adminKey: string;
  accountSid: string;
  authToken: string;
  /** The number callers dial (the inbound flow answers it). */
  inbound: string;
  /** The campaign's caller id (only A runs campaigns); coupon SMS come from it. */
  campaignCallerId?: string;
  promotionId?: string;
  pushFlowId?: string;
  merchantKey?: string;
  /** A second merchant's key for malformed serials, so their lockout count never touches the real till. */
  probeMerchantKey?: string;
  agentPhone?: string;
}

/** Phrases each path of tenant A's inbound flow ends with. */
export const A_SAYS = {
  premium: 'Thank you for being a premium customer',
  balance: 'Your balance is',
  notFound: 'Sorry, we could not find your account.',
  texted: 'We have sent you a text. Goodbye.',
  textFailed: 'We could not send you a text. Goodbye.',
  goodbye: 'Goodbye.',
} as const;
export const B_SAYS = { news: 'Soak B news: all is well. Goodbye.', welcome: 'Welcome to Soak B.' } as const;

/** Menu, an HTTP lookup on the tenant's CRM (a local stub), a condition on its answer, then an SMS to the caller. */
export function inboundFlowA(crmUrl: string) {
  return {
    schemaVersion: 1,
    name: 'Soak A: balance by phone and text',
    start: 'menu',
    nodes: {
      menu: {
        type: 'menu',
        prompts: [{ kind: 'say', text: 'Welcome to Soak A. For your balance, press 1. For a text, press 2.' }],
        options: [{ key: '1', next: 'lookup' }, { key: '2', next: 'text' }],
        attempts: 2,
        invalidPrompts: [{ kind: 'say', text: 'That is not an option.' }],
        next: { 'no-input': 'bye', invalid: 'bye' },
      },
      lookup: {
        type: 'http', method: 'GET', url: `${crmUrl}/accounts?phone={{ system.caller | url_encode }}`,
        extract: { balance: '$.account.balance', tier: '$.account.tier' }, timeoutMs: 3000,
        next: { success: 'tier_check', failure: 'not_found', timeout: 'not_found' },
      },
      tier_check: {
        type: 'condition',
        cases: [{ rules: [{ value: '{{ vars.tier }}', op: 'equals', operand: 'premium' }], next: 'premium' }],
        next: { else: 'balance' },
      },
      premium: { type: 'say', text: `${A_SAYS.premium}. Your balance is {{ vars.balance }} dollars.`, next: 'text' },
      balance: { type: 'say', text: `${A_SAYS.balance} {{ vars.balance }} dollars.`, next: 'text' },
      not_found: { type: 'say', text: A_SAYS.notFound, next: 'bye' },
      text: { type: 'sms', body: 'Soak A: thank you for calling.', next: { sent: 'texted', failed: 'text_failed' } },
      texted: { type: 'say', text: A_SAYS.texted, next: 'end' },
      text_failed: { type: 'say', text: A_SAYS.textFailed, next: 'end' },
      bye: { type: 'say', text: A_SAYS.goodbye, next: 'end' },
      end: { type: 'hangup' },
    },
  };
}

function inboundFlowB() {
  return {
    schemaVersion: 1,
    name: 'Soak B: news',
    start: 'menu',
    nodes: {
      menu: {
        type: 'menu', prompts: [{ kind: 'say', text: `${B_SAYS.welcome} For the news, press 1.` }],
        options: [{ key: '1', next: 'news' }], attempts: 1, next: { 'no-input': 'news', invalid: 'news' },
      },
      news: { type: 'say', text: B_SAYS.news, next: 'end' },
      end: { type: 'hangup' },
    },
  };
}

export class AdminClient {
  constructor(readonly at: SoakEndpoints, private readonly recorder: Recorder) {}

  async gql<T = any>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const t0 = performance.now();
    const response = await fetch(this.at.adminUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    this.recorder.latencyOf('admin-graphql', performance.now() - t0);
    if (response.status >= 500) this.recorder.error('admin-api-5xx', false, JSON.stringify(body).slice(0, 300));
    if (body.errors?.length) throw new Error(`admin API: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  }

  async sim<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.at.simUrl}${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as T;
  }

  async publish(adminKey: string, document: unknown, bindTo?: string): Promise<string> {
    const { createFlow } = await this.gql(adminKey, 'mutation($d: JSON!) { createFlow(document: $d) { flow { id } errors { nodeId field message } } }', { d: document });
    if (!createFlow.flow) throw new Error(`flow refused: ${JSON.stringify(createFlow.errors)}`);
    await this.gql(adminKey, 'mutation($id: ID!) { publishFlow(id: $id) { version { version } } }', { id: createFlow.flow.id });
    if (bindTo) await this.gql(adminKey, 'mutation($i: BindNumberInput!) { bindNumberToFlow(input: $i) }', { i: { number: bindTo, flowId: createFlow.flow.id } });
    return createFlow.flow.id;
  }
}

/** A tenant with its simulated Twilio account, its numbers registered on the simulator, and its flows. */
export async function createSoakTenant(client: AdminClient, name: 'A' | 'B'): Promise<SoakTenant> {
  const op = client.at.operatorKey;
  const { createTenant } = await client.gql(op, 'mutation($n: String!) { createTenant(input: { name: $n, timeZone: "America/New_York" }) { id } }', { n: `Soak ${name}` });
  const tenantId: string = createTenant.id;
  const key = async (role: string, keyName: string) =>
    (await client.gql(op, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }', { i: { tenantId, name: keyName, role } })).createApiKey;
  const adminKey = (await key('ADMIN', 'soak admin')).secret as string;
  await client.gql(adminKey, 'mutation($i: UpdateTenantInput!) { updateTenant(input: $i) { id } }', { i: { fallbackMessage: `Soak ${name} is sorry: please call again later.` } });
  // Twilio's limits set high enough that the soak's rates never meet them (429s are not what this run studies).
  const account = await client.sim<{ sid: string; token: string }>('POST', '/sim/accounts', { cps: 50, mps: 100 });
  await client.gql(adminKey, 'mutation($i: SetTwilioCredentialsInput!) { setTwilioCredentials(input: $i) { accountSid } }', { i: { accountSid: account.sid, authToken: account.token } });
  const inbound = name === 'A' ? '+14155550301' : '+14155550401';
  const campaignCallerId = name === 'A' ? '+14155550302' : undefined;
  const gw = client.at.publicBaseUrl;
  for (const number of [inbound, ...(campaignCallerId ? [campaignCallerId] : [])]) {
    await client.gql(adminKey, 'mutation($n: String!) { addPhoneNumber(input: { number: $n }) { id } }', { n: number });
    await client.sim('POST', '/sim/numbers', { accountSid: account.sid, phoneNumber: number, voiceUrl: `${gw}/twilio/voice`, statusCallback: `${gw}/twilio/voice/status`, smsUrl: `${gw}/twilio/sms` });
  }
  const tenant: SoakTenant = { name, tenantId, adminKey, accountSid: account.sid, authToken: account.token, inbound, campaignCallerId };
  if (name === 'B') {
    await client.publish(adminKey, inboundFlowB(), inbound);
    return tenant;
  }
  await client.publish(adminKey, inboundFlowA(client.at.crmUrl), inbound);
  tenant.agentPhone = '+14155550371';
  await client.gql(adminKey, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'Soak agent', phone: tenant.agentPhone } });

  const now = Date.now();
  const { createPromotion } = await client.gql(adminKey, 'mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id } }', {
    i: { name: 'Soak coupon', offer: 'Soak coupon', discount: '10% off', validFrom: new Date(now - 60_000), validUntil: new Date(now + 30 * 86_400_000) },
  });
  tenant.promotionId = createPromotion.id;
  const push = seedFlows.pushCampaign as { nodes: Record<string, object> };
  tenant.pushFlowId = await client.publish(adminKey, { ...push, nodes: { ...push.nodes, coupon: { ...push.nodes.coupon, promotionId: createPromotion.id } } });
  for (const [merchantName, field] of [['Soak till', 'merchantKey'], ['Soak probe', 'probeMerchantKey']] as const) {
    const { createMerchant } = await client.gql(adminKey, 'mutation($n: String!) { createMerchant(input: { name: $n }) { id } }', { n: merchantName });
    const merchantKey = await key('MERCHANT', merchantName);
    await client.gql(adminKey, 'mutation($i: BindMerchantKeyInput!) { bindMerchantKey(input: $i) { merchantId } }', { i: { apiKeyId: merchantKey.apiKey.id, merchantId: createMerchant.id } });
    tenant[field] = merchantKey.secret;
  }
  return tenant;
}
