import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createLogger } from '@ringflow/observability';
import type { CallRecord } from '@ringflow/session';
import type { TenantId } from '@ringflow/tenancy';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { CallSweeper } from '../../../apps/gateway/src/sweeper/call-sweeper';
import { startSimulator, type Simulator } from '../../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../../apps/telephony-sim/src/testing/sim-test-client';
import { TcpCutter } from '../../reliability/support/tcp-cutter';
import { startGateways, type GatewayHarness, type TestTenant } from './gateway-harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A live call of the simulator, with the ids the sweeper tests ask about. */
export interface SimCallView {
  sid: string;
  status: string;
  duration?: number | string | null;
}

/**
 * One gateway at a real public URL, driven by the telephony simulator (Twilio), with its Postgres optionally behind a
 * relay that can be cut. The sweeper's timer runs every `sweepIntervalSeconds` (0: only when the test calls it).
 * Tenants come from the gateway harness (their own database); the simulator holds each tenant's Twilio account.
 */
export async function startSweeperHarness(options: { sweepIntervalSeconds?: number; postgresRelay?: boolean; env?: Record<string, string> } = {}) {
  const sim: Simulator = await startSimulator({ port: 0 });
  const simClient = new SimTestClient(sim);
  const previousApiBase = process.env.TWILIO_API_BASE_URL;
  process.env.TWILIO_API_BASE_URL = sim.url;
  // The harness's own gateway is only for setting tenants up: its sweeper stays off.
  const gw: GatewayHarness = await startGateways(1, { CALL_SWEEP_INTERVAL_SECONDS: '0' });
  const direct = new URL(gw.database.appUrl);
  const cutter = options.postgresRelay ? new TcpCutter(direct.hostname, Number(direct.port || 5432)) : undefined;
  let databaseUrl = gw.database.appUrl;
  if (cutter) {
    const relayed = new URL(gw.database.appUrl);
    relayed.host = `127.0.0.1:${await cutter.start()}`;
    databaseUrl = relayed.toString();
  }
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const namespace = `test-sweep-${randomBytes(4).toString('hex')}`;
  const config = gatewayConfigSchema.parse({
    REDIS_URL: gw.config.REDIS_URL, OPERATOR_API_KEY: gw.config.OPERATOR_API_KEY, SECRETS_KEY: gw.config.SECRETS_KEY, LOG_LEVEL: 'silent',
    PORT: String(port), PUBLIC_BASE_URL: publicUrl, DATABASE_URL: databaseUrl, QUEUE_NAMESPACE: namespace,
    HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8', CALL_SWEEP_INTERVAL_SECONDS: String(options.sweepIntervalSeconds ?? 0), ...options.env,
  });
  const logs: string[] = [];
  const app: NestFastifyApplication = await createHttpApp(
    GatewayModule.forRoot(config), createLogger('gateway', 'debug', { write: (line: string) => void logs.push(line) }), { bodyLimit: gatewayBodyLimit },
  );
  await app.listen(port, '127.0.0.1');
  const sweeper = app.get(CallSweeper);

  /** A tenant whose number (and Twilio account) lives in the simulator, wired to this gateway; status callbacks only if asked. */
  async function tenant(name: string, number: string, flow: unknown, withStatusCallback: boolean): Promise<TestTenant & { flowId: string }> {
    const t = await gw.tenantWithFlow(name, number, flow);
    await simClient.account({ sid: t.accountSid, token: t.authToken, cps: 50, mps: 50 });
    await simClient.number(t.accountSid, number, {
      voiceUrl: `${publicUrl}/twilio/voice`, ...(withStatusCallback ? { statusCallback: `${publicUrl}/twilio/voice/status` } : {}),
    });
    return t;
  }

  /** A person calls the number and stays on the line until `hangUp` (the phone page's interactive caller). */
  async function dial(from: string, to: string): Promise<string> {
    const res = await simClient.control<{ sid: string }>('POST', '/sim/calls', { from, to, script: { interactive: true } });
    if (res.status !== 201) throw new Error(`dialling ${to}: ${JSON.stringify(res.body)}`);
    return res.body.sid;
  }

  async function press(callSid: string, digits: string): Promise<void> {
    const res = await simClient.control('POST', `/sim/calls/${callSid}/keys`, { digits });
    if (res.status >= 300) throw new Error(`pressing ${digits} on ${callSid}: ${JSON.stringify(res.body)}`);
  }

  /** Hangs up and resolves once the simulator (Twilio) has the call as ended. */
  async function hangUp(callSid: string): Promise<Record<string, unknown> & { status: string }> {
    const res = await simClient.control('POST', `/sim/calls/${callSid}/hangup`);
    if (res.status !== 202) throw new Error(`hanging up ${callSid}: ${JSON.stringify(res.body)}`);
    return simClient.callEnded(callSid);
  }

  /** Twilio's view of a call through its REST API (what the sweeper asks). */
  async function twilioCall(t: TestTenant, callSid: string): Promise<Record<string, unknown>> {
    return (await simClient.api({ sid: t.accountSid, token: t.authToken }, 'GET', `/Calls/${callSid}.json`)).body;
  }

  async function activeCalls(t: TestTenant): Promise<string[]> {
    const res = await gw.api(publicUrl, t.analystKey, 'GET', '/api/v1/calls');
    if (res.status !== 200) throw new Error(`GET /api/v1/calls: ${res.status} ${res.text}`);
    return (res.body.calls as { callSid: string }[]).map((c) => c.callSid);
  }

  /** Every call record row of the call (there must be at most one). */
  async function records(t: TestTenant, callSid: string): Promise<(Pick<CallRecord, 'outcome' | 'durationSeconds' | 'nodePath'> & { variables: unknown })[]> {
    const rows: { outcome: string; duration_seconds: number; node_path: string[]; variables: unknown }[] = await gw.db.run(t.tenantId as TenantId, (em) =>
      em.query('SELECT outcome, duration_seconds, node_path, variables FROM call_records WHERE tenant_id = $1 AND call_sid = $2', [t.tenantId, callSid]),
    );
    return rows.map((r) => ({ outcome: r.outcome, durationSeconds: r.duration_seconds, nodePath: r.node_path, variables: r.variables }));
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    app, sweeper, sim, simClient, cutter, gw, publicUrl, logs, namespace,
    tenant, dial, press, hangUp, twilioCall, activeCalls, records, waitFor,
    close: async () => {
      cutter?.restore();
      await app.close();
      const keys = await gw.redis.keys(`rf:sweeper:{${namespace}}:*`);
      if (keys.length) await gw.redis.del(...keys);
      await gw.close();
      await cutter?.close();
      await sim.close();
      if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
      else process.env.TWILIO_API_BASE_URL = previousApiBase;
    },
  };
}

export type SweeperHarness = Awaited<ReturnType<typeof startSweeperHarness>>;

/** The sweeper's clock, some minutes after now. */
export function minutesFromNow(minutes: number): Date {
  return new Date(Date.now() + minutes * 60_000);
}
