import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { ContactsService, SmsCampaignMessages, SmsCampaignsService, SmsStatusService } from '@ringflow/campaign';
import { createLogger, createWorkerApp } from '@ringflow/observability';
import { asTenantId, PhoneNumbersService, TenantDatabase, TenantsService, type TenantId, TwilioCredentialsService } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import { Client } from 'pg';
import { startSimulator } from '../../apps/telephony-sim/src/simulator';
import type { SimMessage } from '../../apps/telephony-sim/src/state/sim-types';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { WebhookRecorder } from '../../apps/telephony-sim/src/testing/webhook-recorder';
import { workerSmsConfigSchema } from '../../apps/worker-sms/src/worker-sms.config';
import { WorkerSmsModule } from '../../apps/worker-sms/src/worker-sms.module';
import { dropNamespace } from '../workers/support/wait-for';

/**
 * `workers` worker-sms apps in-process (each its own Redis connections, as separate processes would have)
 * over a database of the file's own and the telephony simulator, and a stand-in for the gateway's SMS
 * webhooks doing what SmsWebhookController does: a status goes to the coupon, else the campaign message
 * with that SID; a STOP reply joins the opt-out list.
 */
export async function smsCampaignHarness(workers = 2) {
  const database = await createTestDatabase();
  const sim = await startSimulator({ port: 0 });
  const simClient = new SimTestClient(sim);
  const gateway = await new WebhookRecorder().start();
  const namespace = `test-sms-campaign-${randomBytes(4).toString('hex')}`;
  const config = workerSmsConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    TWILIO_API_BASE_URL: sim.url,
    PUBLIC_BASE_URL: gateway.url,
    LOG_LEVEL: 'silent',
    QUEUE_NAMESPACE: namespace,
    SMS_CONCURRENCY: '20',
    SMS_RETRY_BACKOFF_MS: '100',
  });
  const logger = createLogger('worker-sms', 'silent');
  const apps: INestApplicationContext[] = [];
  for (let i = 0; i < workers; i++) {
    const app = await createWorkerApp(WorkerSmsModule.forRoot(config, { logger }), logger);
    await app.init();
    apps.push(app);
  }
  const app = apps[0];
  const db = app.get(TenantDatabase);
  const statuses = app.get(SmsStatusService);
  const messages = app.get(SmsCampaignMessages);
  gateway.handle(async (req) => {
    if (req.path === '/twilio/sms/status') {
      const tenantId = await db.tenantForNumber(req.params.From);
      if (tenantId && (await statuses.record(tenantId, req.params.MessageSid, req.params.MessageStatus, req.params.ErrorCode)) === 'remembered') {
        await messages.recordStatus(tenantId, req.params.MessageSid, req.params.MessageStatus, req.params.ErrorCode);
      }
      return { status: 204, body: '' };
    }
    if (req.path === '/twilio/sms') {
      const tenantId = await db.tenantForNumber(req.params.To);
      if (tenantId && /^\s*stop\s*$/i.test(req.params.Body ?? '')) await messages.optOutByReply(tenantId, req.params.From);
      return '<Response/>';
    }
    return { status: 404, body: '' };
  });

  const sent: SimMessage[] = [];
  sim.store.events.on('message-created', (m) => {
    if (m.direction === 'outbound-api') sent.push({ ...m });
  });

  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const services = {
    tenants: app.get(TenantsService),
    twilio: app.get(TwilioCredentialsService),
    numbers: app.get(PhoneNumbersService),
    contacts: new ContactsService(db),
    smsCampaigns: app.get(SmsCampaignsService),
  };

  /** A tenant whose simulated account takes `simMps` messages a second (more than the campaign's pace: the pacer is what is tested). */
  async function tenant(name: string, simMps = 50) {
    const tenantId = asTenantId((await services.tenants.create({ name }, 'operator')).id) as TenantId;
    const account = await simClient.account({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), cps: 5, mps: simMps });
    await services.twilio.set(tenantId, { accountSid: account.sid, authToken: account.token }, 'admin');
    const sender = `+1415${String(5_000_000 + Math.floor(Math.random() * 4_999_999))}`;
    await simClient.number(account.sid, sender, { smsUrl: `${gateway.url}/twilio/sms` });
    await services.numbers.add(tenantId, { number: sender }, 'admin');
    return { tenantId, account, sender };
  }

  return {
    apps,
    sim,
    simClient,
    owner,
    sent,
    ...services,
    tenant,
    close: async () => {
      for (const a of apps) await a.close();
      await owner.end();
      await gateway.stop();
      await sim.close();
      await database.drop();
      await dropNamespace(namespace);
    },
  };
}
