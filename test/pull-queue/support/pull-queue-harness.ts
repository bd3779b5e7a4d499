import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FlowStore } from '@ringflow/flow-store';
import { createHttpApp, createLogger } from '@ringflow/observability';
import { AgentsService, CallQueuesService, QueueVoicemailsService, WaitingCallersStore } from '@ringflow/pull-queue';
import { PhoneNumbersService, TenantsService, TwilioCredentialsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { BackgroundTasks } from '../../../apps/gateway/src/queue/background-tasks';
import { startSimulator, type Simulator } from '../../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../../apps/telephony-sim/src/testing/sim-test-client';
import type { PartyScriptInput } from '../../../apps/telephony-sim/src/voice/party-script';

export interface SimCallView {
  sid: string;
  from: string;
  to: string;
  status: string;
  heard: string[];
  lines: string[];
  parentCallSid: string | null;
}

export interface SimMessageView {
  from: string;
  to: string;
  body: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The gateway in-process, reached by the telephony simulator at its public URL (so every webhook is signed and
 * sent as Twilio would), over a database of the file's own; its Twilio REST calls go to the same simulator.
 */
export async function startPullQueueHarness() {
  const database: TestDatabase = await createTestDatabase();
  const sim: Simulator = await startSimulator({ port: 0 });
  const simClient = new SimTestClient(sim);
  const previousApiBase = process.env.TWILIO_API_BASE_URL;
  process.env.TWILIO_API_BASE_URL = sim.url;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = gatewayConfigSchema.parse({
    DATABASE_URL: database.appUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', PORT: String(port), PUBLIC_BASE_URL: publicUrl,
    OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`, SECRETS_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent',
    HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
  });
  const logs: string[] = [];
  const app: NestFastifyApplication = await createHttpApp(
    GatewayModule.forRoot(config), createLogger('gateway', 'debug', { write: (line: string) => void logs.push(line) }), { bodyLimit: gatewayBodyLimit },
  );
  await app.listen(port, '127.0.0.1');

  const services = {
    tenants: app.get(TenantsService), numbers: app.get(PhoneNumbersService), twilio: app.get(TwilioCredentialsService), flows: app.get(FlowStore),
    agents: app.get(AgentsService), queues: app.get(CallQueuesService), voicemails: app.get(QueueVoicemailsService), waiting: app.get(WaitingCallersStore),
  };

  /** A tenant with its own simulated Twilio account, a number wired to the gateway, and a published flow on it. */
  async function tenant(name: string, number: string, flowDocument: unknown) {
    const tenantId = (await services.tenants.create({ name }, 'operator')).id as TenantId;
    const account = await simClient.account({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), cps: 50, mps: 50 });
    await services.twilio.set(tenantId, { accountSid: account.sid, authToken: account.token }, 'operator');
    await services.numbers.add(tenantId, { number }, 'operator');
    await simClient.number(account.sid, number, {
      voiceUrl: `${publicUrl}/twilio/voice`, smsUrl: `${publicUrl}/twilio/sms`, statusCallback: `${publicUrl}/twilio/voice/status`,
    });
    const created = await services.flows.create(tenantId, flowDocument, 'operator');
    if (!created.ok) throw new Error(`test flow is invalid: ${JSON.stringify(created.errors)}`);
    const published = await services.flows.publish(tenantId, created.value.id, 'operator');
    if (!published.ok) throw new Error(`test flow did not publish: ${JSON.stringify(published.errors)}`);
    await services.flows.bindNumber(tenantId, number, created.value.id, 'operator');
    return { tenantId, number, account };
  }

  async function phone(number: string, script: PartyScriptInput & { callerName?: string }): Promise<void> {
    const res = await simClient.control('PUT', `/sim/phones/${encodeURIComponent(number)}`, script);
    if (res.status !== 200) throw new Error(`scripting ${number}: ${JSON.stringify(res.body)}`);
  }

  /** A phone dials a number; answers at once with the call's sid (the call goes on in the simulator). */
  async function dial(from: string, to: string, script: PartyScriptInput = {}): Promise<string> {
    const res = await simClient.control<SimCallView>('POST', '/sim/calls', { from, to, script });
    if (res.status !== 201) throw new Error(`dialing ${to}: ${JSON.stringify(res.body)}`);
    return res.body.sid;
  }

  /** A phone texts a number; answers with the texts the number replied. */
  async function text(from: string, to: string, body: string): Promise<string[]> {
    const res = await simClient.control<{ replies: SimMessageView[] }>('POST', '/sim/sms', { from, to, body });
    if (res.status !== 201) throw new Error(`texting ${to}: ${JSON.stringify(res.body)}`);
    return res.body.replies.map((r) => r.body);
  }

  async function inbox(to: string): Promise<SimMessageView[]> {
    return (await simClient.control<SimMessageView[]>('GET', `/sim/messages?to=${encodeURIComponent(to)}`)).body;
  }

  async function calls(query: { to?: string; from?: string }): Promise<SimCallView[]> {
    return (await simClient.control<SimCallView[]>('GET', `/sim/calls?${new URLSearchParams(query)}`)).body;
  }

  async function callEnded(sid: string): Promise<SimCallView> {
    return (await simClient.callEnded(sid, 30_000)) as unknown as SimCallView;
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    sim, simClient, app, services, logs, publicUrl, tenant, phone, dial, text, inbox, calls, callEnded, waitFor,
    /** Resolves once the gateway's background work (notices, voicemail links) has finished. */
    idle: () => app.get(BackgroundTasks).idle(),
    close: async () => {
      await app.close();
      await sim.close();
      await database.drop();
      if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
      else process.env.TWILIO_API_BASE_URL = previousApiBase;
    },
  };
}

export type PullQueueHarness = Awaited<ReturnType<typeof startPullQueueHarness>>;
