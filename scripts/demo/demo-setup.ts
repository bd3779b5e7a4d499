// The second half of `npm run demo`: with every app running, make (or reuse) the demo tenant through
// the admin API, play each use case as a scenario with readable transcripts, and say where to look.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatScenarioResult } from '../../apps/telephony-sim/src/scenario/transcript-format';
import { runPushCampaign } from './demo-push-campaign';
import { createDemoTenant, DEMO_MERCHANT_USER, DEMO_NUMBERS, DemoClient, type DemoTenant, registerOnSimulator, runDemoScenarios } from './demo-tenant';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`demo: ${name} is not set`);
  return value;
};
const adminPort = env('ADMIN_API_PORT', '3001');
const demo = new DemoClient({
  adminUrl: `http://127.0.0.1:${adminPort}/graphql`,
  simUrl: `http://127.0.0.1:${env('TELEPHONY_SIM_PORT', '4010')}`,
  gatewayUrl: env('PUBLIC_BASE_URL').replace(/\/+$/, ''),
  crmUrl: `http://127.0.0.1:${env('DEMO_CRM_PORT', '4020')}`,
  operatorKey: env('OPERATOR_API_KEY'),
});
const stateFile = join(__dirname, '..', '..', '.run', 'demo-tenant.json');

async function savedTenant(): Promise<DemoTenant | undefined> {
  if (!existsSync(stateFile)) return undefined;
  const tenant = JSON.parse(readFileSync(stateFile, 'utf8')) as DemoTenant;
  try {
    await demo.gql(tenant.adminKey, '{ me { kind } }');
    return tenant;
  } catch {
    return undefined; // a fresh database: make the tenant again
  }
}

async function main(): Promise<void> {
  let tenant = await savedTenant();
  if (!tenant) {
    tenant = await createDemoTenant(demo);
    mkdirSync(join(stateFile, '..'), { recursive: true });
    writeFileSync(stateFile, JSON.stringify(tenant, null, 2), { mode: 0o600 });
  }
  await registerOnSimulator(demo, tenant);

  let failed = 0;
  for (const result of await runDemoScenarios(demo)) {
    console.log(`\n${formatScenarioResult(result)}`);
    if (!result.passed) failed++;
  }
  const push = await runPushCampaign(demo, tenant);
  console.log(`\n${push.passed ? 'PASS' : 'FAIL'}  Push campaign: key 1 sends a coupon, a merchant redeems it`);
  for (const line of push.lines) console.log(`  ${line}`);
  if (!push.passed) failed++;

  const gw = demo.at.gatewayUrl;
  console.log(`
Ringflow is running.
  GraphQL admin API   POST http://127.0.0.1:${adminPort}/graphql   (docs/admin-api.md)
  Gateway (webhooks)  ${gw}/twilio/voice   live calls: GET ${gw}/api/v1/calls
  Merchant page       ${gw}/merchant   sign in as ${DEMO_MERCHANT_USER.email} / ${DEMO_MERCHANT_USER.password}
  Phone page          ${demo.at.simUrl}/phone   (call ${Object.values(DEMO_NUMBERS).slice(0, 4).join(', ')})
  Operator key        in .run/secrets.env (OPERATOR_API_KEY)
  Demo admin key      ${tenant.adminKey}
  Logs                .run/logs/<app>.log        Stop: npm run demo -- stop        Start over: npm run demo -- reset`);
  if (failed) {
    console.error(`demo: ${failed} use case(s) did not go as expected (see above)`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
