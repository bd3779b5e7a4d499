import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CampaignLauncher, CampaignsService, type Clock, ContactsService, FunnelService, MerchantKeysService, MerchantsService, PromotionsService } from '@ringflow/campaign';
import { FlowStore } from '@ringflow/flow-store';
import { createHttpApp, createLogger, createWorkerApp } from '@ringflow/observability';
import { ApiKeysService, PhoneNumbersService, TenantsService, type TenantId, TwilioCredentialsService } from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { dropNamespace } from '../../workers/support/wait-for';
import { Client } from 'pg';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { startSimulator, type Simulator } from '../../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../../apps/telephony-sim/src/testing/sim-test-client';
import type { PartyScriptInput } from '../../../apps/telephony-sim/src/voice/party-script';
import { workerCallsConfigSchema } from '../../../apps/worker-calls/src/worker-calls.config';
import { WorkerCallsModule } from '../../../apps/worker-calls/src/worker-calls.module';
import { workerRedemptionsConfigSchema } from '../../../apps/worker-redemptions/src/worker-redemptions.config';
import { WorkerRedemptionsModule } from '../../../apps/worker-redemptions/src/worker-redemptions.module';
import { workerSmsConfigSchema } from '../../../apps/worker-sms/src/worker-sms.config';
import { WorkerSmsModule } from '../../../apps/worker-sms/src/worker-sms.module';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One placed call as the simulator saw it. */
export interface SimCall {
  sid: string;
  to: string;
}

/**
 * The whole platform in-process over one database of the file's own and real Redis: the telephony simulator
 * (Twilio), the gateway at its public URL (the simulator calls it as Twilio would), worker-calls, worker-sms
 * and worker-redemptions, all on one BullMQ namespace of their own. `clock` is worker-calls' (calling windows).
 */
export async function startPlatform(options: { clock: Clock }) {
  const database: TestDatabase = await createTestDatabase();
  const sim: Simulator = await startSimulator({ port: 0 });
  const simClient = new SimTestClient(sim);
  const calls: SimCall[] = [];
  sim.store.events.on('call-created', (call) => calls.push({ sid: call.sid, to: call.to }));
  const previousApiBase = process.env.TWILIO_API_BASE_URL;
  process.env.TWILIO_API_BASE_URL = sim.url;

  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const namespace = `test-e2e-${randomBytes(4).toString('hex')}`;
  const shared = {
    DATABASE_URL: database.appUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', SECRETS_KEY: randomBytes(32).toString('hex'),
    PUBLIC_BASE_URL: publicUrl, LOG_LEVEL: 'silent', QUEUE_NAMESPACE: namespace, TWILIO_API_BASE_URL: sim.url,
  };
  const logs: string[] = [];
  const logger = (app: string) => createLogger(app, 'debug', { write: (line: string) => void logs.push(line) });

  const gatewayConfig = gatewayConfigSchema.parse({ ...shared, PORT: String(port), OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}` });
  const gateway: NestFastifyApplication = await createHttpApp(GatewayModule.forRoot(gatewayConfig), logger('gateway'), { bodyLimit: gatewayBodyLimit });
  await gateway.listen(port, '127.0.0.1');

  const workers: INestApplicationContext[] = [];
  const callsLogger = logger('worker-calls');
  workers.push(await createWorkerApp(WorkerCallsModule.forRoot(workerCallsConfigSchema.parse(shared), { logger: callsLogger, clock: options.clock }), callsLogger));
  const smsLogger = logger('worker-sms');
  workers.push(await createWorkerApp(WorkerSmsModule.forRoot(workerSmsConfigSchema.parse({ ...shared, SMS_RETRY_BACKOFF_MS: '100' }), { logger: smsLogger }), smsLogger));
  const redemptionsLogger = logger('worker-redemptions');
  workers.push(
    await createWorkerApp(WorkerRedemptionsModule.forRoot(workerRedemptionsConfigSchema.parse({ ...shared, EVENT_POLL_MS: '100' }), { logger: redemptionsLogger }), redemptionsLogger),
  );
  for (const worker of workers) await worker.init();

  const services = {
    tenants: gateway.get(TenantsService),
    numbers: gateway.get(PhoneNumbersService),
    twilio: gateway.get(TwilioCredentialsService),
    apiKeys: gateway.get(ApiKeysService),
    flows: gateway.get(FlowStore),
    promotions: gateway.get(PromotionsService),
    merchants: gateway.get(MerchantsService),
    merchantKeys: gateway.get(MerchantKeysService),
    contacts: gateway.get(ContactsService),
    campaigns: gateway.get(CampaignsService),
    launcher: gateway.get(CampaignLauncher),
    funnel: gateway.get(FunnelService),
  };
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();

  /** A tenant with its own simulated Twilio account and a caller id (registered, wired to the gateway). */
  async function tenant(name: string) {
    const tenantId = (await services.tenants.create({ name, timeZone: 'America/New_York' }, 'operator')).id as TenantId;
    const account = await simClient.account({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), cps: 50, mps: 50 });
    await services.twilio.set(tenantId, { accountSid: account.sid, authToken: account.token }, 'operator');
    const callerId = '+14155550199';
    await services.numbers.add(tenantId, { number: callerId }, 'operator');
    await simClient.number(account.sid, callerId, { voiceUrl: `${publicUrl}/twilio/voice`, smsUrl: `${publicUrl}/twilio/sms` });
    return { tenantId, callerId };
  }

  /** Publishes `flow`, bound to `number` when one is given (what answers inbound calls to it). */
  async function publish(tenantId: TenantId, flow: unknown, number?: string) {
    const created = await services.flows.create(tenantId, flow, 'admin');
    if (!created.ok) throw new Error(`flow is invalid: ${JSON.stringify(created.errors)}`);
    const published = await services.flows.publish(tenantId, created.value.id, 'admin');
    if (!published.ok) throw new Error(`flow did not publish: ${JSON.stringify(published.errors)}`);
    if (number) await services.flows.bindNumber(tenantId, number, created.value.id, 'admin');
    return { flowId: created.value.id, flowVersion: published.value.version };
  }

  async function phone(number: string, script: PartyScriptInput): Promise<void> {
    const res = await simClient.control('PUT', `/sim/phones/${encodeURIComponent(number)}`, script);
    if (res.status !== 200) throw new Error(`scripting ${number}: ${JSON.stringify(res.body)}`);
  }

  async function inbox(number: string): Promise<Array<{ from: string; body: string }>> {
    const res = await simClient.control<{ messages?: Array<{ from: string; body: string }> } | Array<{ from: string; body: string }>>('GET', `/sim/messages?to=${encodeURIComponent(number)}`);
    return Array.isArray(res.body) ? res.body : (res.body.messages ?? []);
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function post(path: string, key: string, body: unknown) {
    const res = await fetch(`${publicUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }

  return {
    sim, simClient, calls, logs, owner, publicUrl, namespace, ...services, tenant, publish, phone, inbox, waitFor, post,
    close: async () => {
      for (const worker of workers.reverse()) await worker.close();
      await gateway.close();
      await owner.end();
      await sim.close();
      await database.drop();
      if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
      else process.env.TWILIO_API_BASE_URL = previousApiBase;
      await dropNamespace(namespace, shared.REDIS_URL);
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
