// The second half of `npm run demo`: with every app running, make (or reuse) the demo tenant through
// the admin API, give it the simulator's Twilio account, publish the use-case flows on its numbers,
// play each use case as a scenario with readable transcripts, and say where to look.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFlows } from '@ringflow/flow';
import { loadScenarioFile } from '../../apps/telephony-sim/src/scenario/scenario-loader';
import { ScenarioRunner } from '../../apps/telephony-sim/src/scenario/scenario-runner';
import { formatScenarioResult } from '../../apps/telephony-sim/src/scenario/transcript-format';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`demo: ${name} is not set`);
  return value;
};
const adminUrl = `http://127.0.0.1:${env('ADMIN_API_PORT', '3001')}/graphql`;
const simUrl = `http://127.0.0.1:${env('TELEPHONY_SIM_PORT', '4010')}`;
const gatewayUrl = env('PUBLIC_BASE_URL').replace(/\/+$/, '');
const crmUrl = `http://127.0.0.1:${env('DEMO_CRM_PORT', '4020')}`;
const operatorKey = env('OPERATOR_API_KEY');
const stateFile = join(__dirname, '..', '..', '.run', 'demo-tenant.json');

/** The demo's numbers, one per inbound use case. */
const USE_CASES = [
  { key: 'cardNumber', number: '+14155550101', flow: seedFlows.cardActivation },
  { key: 'crmNumber', number: '+14155550102', flow: seedFlows.crmLookup },
  { key: 'vipNumber', number: '+14155550103', flow: seedFlows.vipRouting },
  { key: 'queueNumber', number: '+14155550104', flow: alwaysOpen(seedFlows.pullQueue) },
] as const;

/** The demo's agents, who answer the pull queue by SMS from their own phones. */
const AGENTS = [
  { name: 'Ann', phone: '+14155550171' },
  { name: 'Bob', phone: '+14155550172' },
];

/** The seed queue flow without its office-hours check, so the demo queues callers at any hour. */
function alwaysOpen(flow: unknown): unknown {
  const { open_check: _hours, ...nodes } = (flow as { nodes: Record<string, unknown> }).nodes;
  return { ...(flow as object), start: 'lookup', nodes };
}

interface DemoState {
  tenantId: string;
  adminKey: string;
  accountSid: string;
  authToken: string;
}

async function gql<T = any>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(adminUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`admin API: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

async function sim<T = any>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${simUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Points the seed flows' example hosts at the demo CRM. */
function forDemo(flow: unknown): unknown {
  return JSON.parse(JSON.stringify(flow).replaceAll('https://api.acme-bank.example', crmUrl).replaceAll('https://crm.example.com', crmUrl));
}

async function existingState(): Promise<DemoState | undefined> {
  if (!existsSync(stateFile)) return undefined;
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState;
  try {
    await gql(state.adminKey, '{ me { kind } }');
    return state;
  } catch {
    return undefined; // a fresh database: make the tenant again
  }
}

async function createTenant(): Promise<DemoState> {
  const { createTenant } = await gql(operatorKey, 'mutation { createTenant(input: { name: "Demo Co", timeZone: "America/Los_Angeles" }) { id } }');
  const { createApiKey } = await gql(operatorKey, 'mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "demo admin", role: ADMIN }) { secret } }', {
    t: createTenant.id,
  });
  const account = await sim<{ sid: string; token: string }>('/sim/accounts', { cps: 10, mps: 20 });
  const state = { tenantId: createTenant.id, adminKey: createApiKey.secret, accountSid: account.sid, authToken: account.token };
  await gql(state.adminKey, 'mutation($i: SetTwilioCredentialsInput!) { setTwilioCredentials(input: $i) { accountSid } }', {
    i: { accountSid: state.accountSid, authToken: state.authToken },
  });
  for (const useCase of USE_CASES) {
    await gql(state.adminKey, 'mutation($n: String!) { addPhoneNumber(input: { number: $n }) { id } }', { n: useCase.number }).catch((error: Error) => {
      if (!/already registered/.test(error.message)) throw error;
      throw new Error(`${useCase.number} belongs to an earlier demo tenant whose key is lost: run \`npm run demo -- reset\`, then \`npm run demo\``);
    });
    const { createFlow } = await gql(state.adminKey, 'mutation($d: JSON!) { createFlow(document: $d) { flow { id } errors { message } } }', {
      d: forDemo(useCase.flow),
    });
    if (!createFlow.flow) throw new Error(`demo flow refused: ${JSON.stringify(createFlow.errors)}`);
    await gql(state.adminKey, 'mutation($id: ID!) { publishFlow(id: $id) { version { version } } }', { id: createFlow.flow.id });
    await gql(state.adminKey, 'mutation($i: BindNumberInput!) { bindNumberToFlow(input: $i) }', { i: { number: useCase.number, flowId: createFlow.flow.id } });
  }
  const agentIds: string[] = [];
  for (const agent of AGENTS) {
    const { createAgent } = await gql(state.adminKey, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: agent });
    agentIds.push(createAgent.id);
  }
  await gql(state.adminKey, 'mutation($i: CreateCallQueueInput!) { createCallQueue(input: $i) { id } }', {
    i: { name: 'support', agentIds, announcePosition: true },
  });
  mkdirSync(join(stateFile, '..'), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

async function main(): Promise<void> {
  const state = (await existingState()) ?? (await createTenant());
  // The simulator keeps nothing across restarts: give it the tenant's account and numbers each time.
  await sim('/sim/accounts', { sid: state.accountSid, token: state.authToken, cps: 10, mps: 20 });
  for (const { number } of USE_CASES) {
    await sim('/sim/numbers', {
      accountSid: state.accountSid,
      phoneNumber: number,
      voiceUrl: `${gatewayUrl}/twilio/voice`,
      statusCallback: `${gatewayUrl}/twilio/voice/status`,
      smsUrl: `${gatewayUrl}/twilio/sms`,
    });
  }

  const vars = Object.fromEntries(USE_CASES.map((u) => [u.key, u.number]));
  const runner = new ScenarioRunner(simUrl);
  const dir = join(__dirname, 'scenarios');
  let failed = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const report = await runner.run(loadScenarioFile(join(dir, file), vars));
    console.log(`\n${formatScenarioResult(report)}`);
    if (!report.passed) failed++;
  }

  console.log(`
Ringflow is running.
  GraphQL admin API   POST http://127.0.0.1:${env('ADMIN_API_PORT', '3001')}/graphql
  Gateway (webhooks)  ${gatewayUrl}/twilio/voice   live calls: GET ${gatewayUrl}/api/v1/calls
  Phone page          ${simUrl}/phone   (call ${USE_CASES.map((u) => u.number).join(', ')})
  Operator key        in .run/secrets.env (OPERATOR_API_KEY)
  Demo admin key      ${state.adminKey}
  Logs                .run/logs/<app>.log        Stop: npm run demo -- stop
Not in the demo yet: the push campaign with a coupon (the gateway-to-worker wiring is in progress).`);
  if (failed) {
    console.error(`demo: ${failed} scenario(s) did not go as expected (see above)`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
