import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { buildDemoCrm } from '../../scripts/demo/demo-crm';
import { runPushCampaign } from '../../scripts/demo/demo-push-campaign';
import { createDemoTenant, DemoClient, registerOnSimulator, runDemoScenarios } from '../../scripts/demo/demo-tenant';

const root = join(__dirname, '..', '..');
const APPS = ['telephony-sim', 'gateway', 'admin-api', 'worker-calls', 'worker-sms', 'worker-redemptions'] as const;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up; its output:\n${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Every app as its own process (as docker-compose and the demo run them), real Postgres and Redis,
// the simulator as Twilio: the five use cases of the seed write-ups, played as scenarios.
describe('the five use cases, every app its own process', () => {
  let database: TestDatabase;
  const children: ChildProcess[] = [];
  const output: Record<string, string> = {};
  let crm: ReturnType<typeof buildDemoCrm>;
  let demo: DemoClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    crm = buildDemoCrm();
    await crm.listen({ port: 0, host: '127.0.0.1' });
    const [sim, gateway, admin] = await Promise.all([freePort(), freePort(), freePort()]);
    const ports: Record<string, number | undefined> = { 'telephony-sim': sim, gateway, 'admin-api': admin };
    const env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.appUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PUBLIC_BASE_URL: `http://127.0.0.1:${gateway}`,
      OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      TWILIO_API_BASE_URL: `http://127.0.0.1:${sim}`,
      HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
      QUEUE_NAMESPACE: `e2e${randomBytes(4).toString('hex')}`,
      EVENT_POLL_MS: '200',
      LOG_LEVEL: 'info',
    };
    for (const app of APPS) {
      output[app] = '';
      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps', app, 'src', 'main.ts')], {
        cwd: root,
        env: { ...env, ...(ports[app] !== undefined ? { PORT: String(ports[app]), HOST: '127.0.0.1' } : {}) },
      });
      child.stdout?.on('data', (chunk) => (output[app] += chunk));
      child.stderr?.on('data', (chunk) => (output[app] += chunk));
      children.push(child);
    }
    const ok = (url: string) => async () => (await fetch(url)).ok;
    await until('telephony-sim', ok(`http://127.0.0.1:${sim}/healthz`), 90_000, () => output['telephony-sim']);
    await until('gateway', ok(`http://127.0.0.1:${gateway}/readyz`), 90_000, () => output.gateway);
    await until('admin-api', ok(`http://127.0.0.1:${admin}/readyz`), 90_000, () => output['admin-api']);
    for (const worker of ['worker-calls', 'worker-sms', 'worker-redemptions']) {
      await until(worker, async () => output[worker].includes('started'), 90_000, () => output[worker]);
    }
    const crmPort = (crm.server.address() as AddressInfo).port;
    demo = new DemoClient({
      adminUrl: `http://127.0.0.1:${admin}/graphql`,
      simUrl: `http://127.0.0.1:${sim}`,
      gatewayUrl: env.PUBLIC_BASE_URL,
      crmUrl: `http://127.0.0.1:${crmPort}`,
      operatorKey: env.OPERATOR_API_KEY,
    });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(
      children.map((child) => new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      })),
    );
    await crm.close();
    await database.drop();
  }, 60_000);

  it('card activation, CRM lookup, VIP routing, the SMS pull queue and the push-campaign coupon play out as described', async () => {
    const tenant = await createDemoTenant(demo);
    await registerOnSimulator(demo, tenant);
    const results = await runDemoScenarios(demo);
    expect(results.map((r) => r.name)).toEqual([
      'Card activation with a 16-digit card number',
      'CRM lookup with a reference-number fallback and premium routing',
      'VIP routing with a security-code fallback',
      'The SMS pull queue',
    ]);
    for (const result of results) {
      const problems = result.steps.flatMap((s) => s.problems.map((p) => `${s.title}: ${p}`));
      expect({ scenario: result.name, problems }).toEqual({ scenario: result.name, problems: [] });
    }

    const push = await runPushCampaign(demo, tenant);
    expect(push.lines.filter((l) => l.startsWith('!'))).toEqual([]);
    expect(push.lines.join('\n')).toMatch(/hears "Your coupon is on its way by SMS/);
    expect(push.funnel).toEqual({ sent: 1, delivered: 1, redeemed: 1 });
    expect(push.passed).toBe(true);

    const logs = Object.values(output).join('\n');
    expect(logs).not.toContain('4111111111111111');
  }, 180_000);
});
