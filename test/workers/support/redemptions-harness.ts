import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import {
  CouponIssuerService,
  CouponRedeemerService,
  FunnelService,
  MerchantsService,
  PromotionsService,
  RedemptionTracker,
  WebhookDeliveriesService,
  WebhookEndpointsService,
} from '@ringflow/campaign';
import { createLogger, createWorkerApp } from '@ringflow/observability';
import { asTenantId, TenantDatabase, TenantsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import { Client } from 'pg';
import { CouponEventFeeder } from '../../../apps/worker-redemptions/src/coupon-event-feeder';
import { workerRedemptionsConfigSchema } from '../../../apps/worker-redemptions/src/worker-redemptions.config';
import { WorkerRedemptionsModule } from '../../../apps/worker-redemptions/src/worker-redemptions.module';
import { randomPhone } from './coupon-sms-job';
import { dropNamespace, waitFor } from './wait-for';

const DAY = 24 * 3600_000;

/** worker-redemptions in-process over a database of the file's own: 3 webhook tries, 50 ms backoff, loopback allowed. */
export async function redemptionsHarness(options: { runWorkers?: boolean } = {}) {
  const database = await createTestDatabase();
  const namespace = `test-redemptions-${randomBytes(4).toString('hex')}`;
  const config = workerRedemptionsConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    QUEUE_NAMESPACE: namespace,
    HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
    EVENT_POLL_MS: '100',
    WEBHOOK_ATTEMPTS: '3',
    WEBHOOK_RETRY_BACKOFF_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
  });
  const logger = createLogger('worker-redemptions', 'silent');
  const app: INestApplicationContext = await createWorkerApp(WorkerRedemptionsModule.forRoot(config, { logger, runWorkers: options.runWorkers }), logger);
  await app.init();

  const db = app.get(TenantDatabase);
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const services = {
    tenants: app.get(TenantsService),
    promotions: new PromotionsService(db),
    merchants: new MerchantsService(db),
    issuer: new CouponIssuerService(db),
    redeemer: new CouponRedeemerService(db),
    endpoints: app.get(WebhookEndpointsService),
    deliveries: app.get(WebhookDeliveriesService),
    funnel: app.get(FunnelService),
    tracker: app.get(RedemptionTracker),
    feeder: app.get(CouponEventFeeder),
  };

  /** A tenant with a running promotion and a merchant. */
  async function tenant(name: string) {
    const tenantId = asTenantId((await services.tenants.create({ name }, 'operator')).id);
    const promotion = await services.promotions.create(
      tenantId,
      { name: 'Spring', offer: 'A free coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + 30 * DAY) },
      'marketer',
    );
    const merchant = await services.merchants.create(tenantId, { name: `${name} Cafe` }, 'admin');
    return { tenantId, promotionId: promotion.id, merchantId: merchant.id };
  }

  /** Issues a coupon and redeems it at the merchant; returns the coupon and its redemption event id. */
  async function redeemed(t: { tenantId: TenantId; promotionId: string; merchantId: string }, orderAmount: string, extra: { callSid?: string } = {}) {
    const coupon = await services.issuer.issue(t.tenantId, { promotionId: t.promotionId, phone: randomPhone(), issueKey: `test-${randomBytes(6).toString('hex')}`, ...extra });
    const result = await services.redeemer.redeem(t.tenantId, { serial: coupon.serial, merchantId: t.merchantId, orderAmount });
    if (result.outcome !== 'redeemed') throw new Error(`redeeming the test coupon gave ${result.outcome}`);
    const { rows } = await owner.query(`SELECT id FROM coupon_events WHERE coupon_id = $1`, [coupon.id]);
    return { coupon, eventId: String(rows[0].id) };
  }

  return {
    app,
    owner,
    namespace,
    ...services,
    tenant,
    redeemed,
    waitFor,
    close: async () => {
      await app.close();
      await owner.end();
      await database.drop();
      await dropNamespace(namespace);
    },
  };
}

export type RedemptionsHarness = Awaited<ReturnType<typeof redemptionsHarness>>;
