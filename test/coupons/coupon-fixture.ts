import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  CAMPAIGN_ENTITIES,
  CouponIssuerService,
  CouponRedeemerService,
  MerchantsService,
  PromotionsService,
  type CreatePromotionCommand,
} from '@ringflow/campaign';
import { AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';

const DAY = 24 * 60 * 60 * 1000;

/** The coupon services over a database of the test file's own, connected as the app role (RLS applies). */
export async function couponFixture({ poolSize = 4, serialSource }: { poolSize?: number; serialSource?: () => string } = {}) {
  const database = await createTestDatabase();
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.appUrl,
    entities: [TenantEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES],
    poolSize,
  });
  await dataSource.initialize();
  const db = new TenantDatabase(dataSource);
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const tenants = new TenantsService(db);
  const promotions = new PromotionsService(db);
  const merchants = new MerchantsService(db);

  /** A tenant with one running promotion and one merchant. */
  async function tenantWithPromotion(name: string, promotion: Partial<CreatePromotionCommand> = {}) {
    const tenantId = (await tenants.create({ name }, 'operator')).id as TenantId;
    const now = Date.now();
    const created = await promotions.create(
      tenantId,
      { name: 'Spring', offer: 'A free coffee', discount: '100%', validFrom: new Date(now - DAY), validUntil: new Date(now + 30 * DAY), ...promotion },
      'marketer',
    );
    const merchant = await merchants.create(tenantId, { name: `${name} Cafe` }, 'admin');
    return { tenantId, promotion: created, merchant };
  }

  return {
    database,
    dataSource,
    db,
    /** Connected as the schema owner: sees past RLS, for assertions and for moving time on rows. */
    owner,
    tenants,
    promotions,
    merchants,
    issuer: new CouponIssuerService(db, serialSource),
    redeemer: new CouponRedeemerService(db),
    tenantWithPromotion,
    close: async () => {
      await owner.end();
      await dataSource.destroy();
      await database.drop();
    },
  };
}

export type CouponFixture = Awaited<ReturnType<typeof couponFixture>>;
