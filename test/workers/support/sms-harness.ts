import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { CouponIssuerService, CouponJobs, FunnelService, PromotionsService, SmsStatusService } from '@ringflow/campaign';
import { createLogger, createWorkerApp } from '@ringflow/observability';
import type { TelephonyPort } from '@ringflow/telephony';
import { asTenantId, PhoneNumbersService, TenantDatabase, TenantsService, type TenantId, TwilioCredentialsService } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import { Client } from 'pg';
import { startSimulator } from '../../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../../apps/telephony-sim/src/testing/sim-test-client';
import { WebhookRecorder } from '../../../apps/telephony-sim/src/testing/webhook-recorder';
import { CouponSmsProcessor } from '../../../apps/worker-sms/src/coupon-sms.processor';
import { workerSmsConfigSchema } from '../../../apps/worker-sms/src/worker-sms.config';
import { WorkerSmsModule } from '../../../apps/worker-sms/src/worker-sms.module';
import { dropNamespace, waitFor } from './wait-for';

const DAY = 24 * 3600_000;

export interface SmsHarnessOptions {
  attempts?: number;
  /** The Twilio API the worker talks to; the simulator when unset. */
  telephony?: (simUrl: string) => TelephonyPort;
  /** More worker-sms variables (e.g. SMS_SENDER_MPS). */
  env?: Record<string, string>;
}

/**
 * worker-sms in-process over a database of the file's own and the telephony simulator, with a small
 * stand-in for the gateway's `/twilio/sms/status`: it finds the tenant by the sending number and calls
 * SmsStatusService.record, as the gateway will.
 */
export async function smsHarness(options: SmsHarnessOptions = {}) {
  const database = await createTestDatabase();
  const sim = await startSimulator({ port: 0 });
  const simClient = new SimTestClient(sim);
  const gateway = await new WebhookRecorder().start();
  const namespace = `test-sms-${randomBytes(4).toString('hex')}`;
  const config = workerSmsConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    TWILIO_API_BASE_URL: sim.url,
    PUBLIC_BASE_URL: gateway.url,
    LOG_LEVEL: 'silent',
    QUEUE_NAMESPACE: namespace,
    SMS_ATTEMPTS: String(options.attempts ?? 8),
    SMS_RETRY_BACKOFF_MS: '100',
    SMS_CLAIM_MS: '5000',
    SMS_LOOKUP_SETTLE_MS: '200',
    ...options.env,
  });
  const logger = createLogger('worker-sms', 'silent');
  const app: INestApplicationContext = await createWorkerApp(WorkerSmsModule.forRoot(config, { logger, telephony: options.telephony?.(sim.url) }), logger);
  await app.init();

  const db = app.get(TenantDatabase);
  const statuses = app.get(SmsStatusService);
  gateway.handle(async (req) => {
    if (req.path !== '/twilio/sms/status') return { status: 404, body: '' };
    const tenantId = await db.tenantForNumber(req.params.From);
    if (tenantId) await statuses.record(tenantId, req.params.MessageSid, req.params.MessageStatus, req.params.ErrorCode);
    return { status: 204, body: '' };
  });

  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const services = {
    tenants: app.get(TenantsService),
    twilio: app.get(TwilioCredentialsService),
    numbers: app.get(PhoneNumbersService),
    promotions: new PromotionsService(db),
    issuer: new CouponIssuerService(db),
    jobs: app.get(CouponJobs),
    funnel: app.get(FunnelService),
    statuses,
    processor: app.get(CouponSmsProcessor),
  };

  /** A tenant with a simulated Twilio account (`mps` messages a second), one sending number and a running promotion. */
  async function tenant(name: string, mps = 50) {
    const tenantId = (await services.tenants.create({ name }, 'operator')).id as TenantId;
    const account = await simClient.account({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), cps: 5, mps });
    await services.twilio.set(tenantId, { accountSid: account.sid, authToken: account.token }, 'admin');
    const number = `+1415${String(5_000_000 + Math.floor(Math.random() * 4_999_999))}`;
    await simClient.number(account.sid, number);
    await services.numbers.add(tenantId, { number }, 'admin');
    const promotion = await services.promotions.create(
      tenantId,
      { name: 'Spring', offer: 'A free coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + 30 * DAY) },
      'marketer',
    );
    return { tenantId: asTenantId(tenantId), account, number, promotionId: promotion.id };
  }

  async function issue(t: { tenantId: TenantId; promotionId: string }, phone: string) {
    return services.issuer.issue(t.tenantId, { promotionId: t.promotionId, phone, issueKey: `test-${randomBytes(6).toString('hex')}` });
  }

  /** The coupon's SMS columns, read past RLS as the owner. */
  async function smsOf(couponId: string): Promise<{ status: string; messageSid: string | null; error: string | null }> {
    const { rows } = await owner.query('SELECT sms_status, sms_message_sid, sms_error FROM coupons WHERE id = $1', [couponId]);
    return { status: rows[0].sms_status, messageSid: rows[0].sms_message_sid, error: rows[0].sms_error };
  }

  /** The messages the simulator's phones received from the platform, oldest first. */
  async function inbox(to: string): Promise<Array<{ sid: string; from: string; to: string; body: string; status: string }>> {
    return (await simClient.control<Array<{ sid: string; from: string; to: string; body: string; status: string }>>('GET', `/sim/messages?to=${encodeURIComponent(to)}`)).body;
  }

  return {
    app,
    sim,
    simClient,
    gateway,
    owner,
    namespace,
    ...services,
    tenant,
    issue,
    smsOf,
    inbox,
    waitFor,
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

export type SmsHarness = Awaited<ReturnType<typeof smsHarness>>;
