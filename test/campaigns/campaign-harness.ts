import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import {
  CampaignAttemptsService,
  campaignCallRefOf,
  CampaignExpander,
  CampaignLauncher,
  CampaignQueues,
  CampaignsService,
  type Clock,
  ContactsService,
  type CreateCampaignCommand,
  outcomeOfCallStatus,
} from '@ringflow/campaign';
import { createLogger, createWorkerApp } from '@ringflow/observability';
import { asTenantId, TenantDatabase, TenantsService, type TenantId, TwilioCredentialsService } from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { dropNamespace } from '../workers/support/wait-for';
import { Client } from 'pg';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { WebhookRecorder } from '../../apps/telephony-sim/src/testing/webhook-recorder';
import type { PartyScriptInput } from '../../apps/telephony-sim/src/voice/party-script';
import { workerCallsConfigSchema } from '../../apps/worker-calls/src/worker-calls.config';
import { WorkerCallsModule, type WorkerCallsOverrides } from '../../apps/worker-calls/src/worker-calls.module';

/** 18:30 in New York, 13:30 in Honolulu and Adak. */
export const EVERY_US_ZONE_OPEN = new Date('2026-11-21T23:30:00Z');

/** A clock that starts at `start` and runs at real speed. */
export function clockFrom(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** A clock that reads `start` until `go()`, then runs at real speed from there (set-up time does not count). */
export function heldClock(start: Date): { clock: Clock; go: () => void } {
  let startedAt: number | undefined;
  return {
    clock: () => new Date(start.getTime() + (startedAt === undefined ? 0 : Date.now() - startedAt)),
    go: () => void (startedAt ??= Date.now()),
  };
}

/** The sim's view of every call placed: which account, to whom, when (the sim's clock and the test clock). */
export interface PlacedCall {
  accountSid: string;
  to: string;
  at: number;
  clockAt: number;
}

export interface HarnessOptions extends Partial<Omit<WorkerCallsOverrides, 'logger'>> {
  dialConcurrency?: number;
  /** A simulator running elsewhere (a process of its own, as the bench uses): `calls` then stays empty. */
  simulator?: Pick<Simulator, 'url' | 'close'>;
}

/**
 * worker-calls in-process over a database of the file's own, the telephony simulator, and a tiny
 * local app standing in for the gateway: it answers calls with TwiML and turns Twilio's status
 * callbacks into recordOutcome, as the gateway will.
 */
export async function campaignHarness(options: HarnessOptions = {}) {
  const database: TestDatabase = await createTestDatabase();
  const local = options.simulator ? null : await startSimulator({ port: 0 });
  const sim: Pick<Simulator, 'url' | 'close'> = options.simulator ?? local!;
  const simClient = new SimTestClient(sim);
  const gateway = await new WebhookRecorder().start();
  const namespace = `test-campaigns-${randomBytes(4).toString('hex')}`;
  // By default the workers live at an hour when every US zone is inside 08:00-21:00, so the tests'
  // US contacts are callable whatever the hour the suite runs at (the worker processes of the kill
  // test run on the real clock: their contacts get a daytime zone instead).
  const clock = options.clock ?? clockFrom(EVERY_US_ZONE_OPEN);
  const calls: PlacedCall[] = [];
  local?.store.events.on('call-created', (call) => calls.push({ accountSid: call.accountSid, to: call.to, at: call.dateCreated.getTime(), clockAt: clock().getTime() }));

  const env = {
    DATABASE_URL: database.appUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    TWILIO_API_BASE_URL: sim.url,
    PUBLIC_BASE_URL: gateway.url,
    LOG_LEVEL: 'silent',
    QUEUE_NAMESPACE: namespace,
    DIAL_CONCURRENCY: String(options.dialConcurrency ?? 50),
  };
  const config = workerCallsConfigSchema.parse(env);
  const logger = createLogger('worker-calls', 'silent');
  const app: INestApplicationContext = await createWorkerApp(WorkerCallsModule.forRoot(config, { logger, ...options, clock }), logger);
  await app.init();

  const db = app.get(TenantDatabase);
  const attempts = app.get(CampaignAttemptsService);
  const services = {
    tenants: app.get(TenantsService),
    twilio: app.get(TwilioCredentialsService),
    campaigns: app.get(CampaignsService),
    launcher: app.get(CampaignLauncher),
    expander: app.get(CampaignExpander),
    queues: app.get(CampaignQueues),
    attempts,
    contacts: new ContactsService(db),
  };

  /** Run on every status callback before its outcome is recorded (a test may re-script a phone there). */
  const statusHooks: Array<(params: Record<string, string>) => Promise<void> | void> = [];
  gateway.handle(async (req) => {
    if (req.path === '/twilio/voice/status') {
      for (const hook of statusHooks) await hook(req.params);
      const outcome = outcomeOfCallStatus(req.params.CallStatus, req.params.AnsweredBy);
      const ref = campaignCallRefOf(new URL(req.url).searchParams);
      // As the gateway does not get a second callback, a database that is slow to hand out a connection
      // (a loaded machine) is tried again rather than losing the outcome.
      for (let tries = 1; outcome && ref; tries++) {
        try {
          await attempts.recordOutcome(asTenantId(ref.tenantId), ref.attemptId, outcome);
          break;
        } catch (error) {
          if (tries >= 5) throw error;
          await new Promise((r) => setTimeout(r, 200 * tries));
        }
      }
      return { status: 204, body: '' };
    }
    return '<Response><Say>Press 1 for a coupon by SMS, 9 to stop these calls.</Say></Response>';
  });

  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();

  /** A tenant with its own simulated Twilio account (cps as given), a caller id, dialing limits and one list. */
  async function tenant(name: string, limits: { callsPerSecond: number; maxConcurrentCalls: number }, accountCps = 200) {
    const tenantId = (await services.tenants.create({ name, timeZone: 'America/New_York' }, 'operator')).id as TenantId;
    const account = await simClient.account({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), cps: accountCps });
    await services.twilio.set(tenantId, { accountSid: account.sid, authToken: account.token }, 'admin');
    const callerId = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
    await simClient.number(account.sid, callerId);
    await services.campaigns.setDialingLimits(tenantId, limits, 'operator');
    const list = await services.contacts.createList(tenantId, `${name} customers`, 'marketer');
    return { tenantId, account, callerId, listId: list.id };
  }

  async function phone(number: string, script: PartyScriptInput): Promise<void> {
    const res = await simClient.control('PUT', `/sim/phones/${encodeURIComponent(number)}`, script);
    if (res.status !== 200) throw new Error(`scripting ${number}: ${JSON.stringify(res.body)}`);
  }

  function campaignCommand(t: { listId: string; callerId: string }, extra: Partial<CreateCampaignCommand> = {}): CreateCampaignCommand {
    return { name: 'Spring push', listId: t.listId, callerId: t.callerId, answer: { kind: 'url', url: `${gateway.url}/twilio/voice` }, callsPerSecond: 50, maxConcurrentCalls: 200, ...extra };
  }

  async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Dispositions by phone number, read past RLS as the owner. */
  async function dispositions(campaignId: string): Promise<Map<string, { disposition: string | null; attempts: number; state: string }>> {
    const { rows } = await owner.query(
      `SELECT c.phone, cc.disposition, cc.attempts, cc.state FROM campaign_contacts cc JOIN contacts c ON c.tenant_id = cc.tenant_id AND c.id = cc.contact_id WHERE cc.campaign_id = $1`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.phone, { disposition: r.disposition, attempts: r.attempts, state: r.state }]));
  }

  return {
    database,
    sim,
    simClient,
    gateway,
    app,
    owner,
    namespace,
    /** The worker's environment, for a worker process of its own (same database, keys, sim, namespace). */
    env,
    calls,
    statusHooks,
    ...services,
    tenant,
    phone,
    campaignCommand,
    waitFor,
    dispositions,
    close: async () => {
      await app.close();
      await owner.end();
      await gateway.stop();
      await sim.close();
      await database.drop();
      await dropNamespace(namespace);
    },
  };
}

export type CampaignHarness = Awaited<ReturnType<typeof campaignHarness>>;

/** Most calls to one account within any sliding window of `windowMs`, from the sim's timestamps. */
export function maxInAnyWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
