// Run: node -r @swc-node/register bench/coupons/run.ts
// Sizes: BENCH_ISSUE (coupons issued, default 5000), BENCH_RACE_COUPONS (1000) x BENCH_RACE_ATTEMPTS (100), BENCH_POOL (50).
// Needs the local Postgres (as the tests do). Makes and drops a database of its own, connected as the app role.
// Prints coupons issued/s and redemptions/s through the services (p50/p99), the bare statements' rates on one
// pg pool (session-level tenant, autocommit: no transaction, no set_config round trip) and the ratios.
import { DataSource } from 'typeorm';
import {
  CAMPAIGN_ENTITIES, CouponIssuerService, CouponRedeemerService, MerchantsService, PromotionsService,
} from '@ringflow/campaign';
import { AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, type TenantId } from '@ringflow/tenancy';
import { benchDatabase, line, rawStatements, timed, type Timing } from './bench-support';

const ISSUE = Number(process.env.BENCH_ISSUE ?? 5_000);
const RACE_COUPONS = Number(process.env.BENCH_RACE_COUPONS ?? 1_000);
const RACE_ATTEMPTS = Number(process.env.BENCH_RACE_ATTEMPTS ?? 100);
const POOL = Number(process.env.BENCH_POOL ?? 50);
const DAY = 86_400_000;

async function main(): Promise<void> {
  const database = await benchDatabase();
  const dataSource = new DataSource({
    type: 'postgres', url: database.appUrl, entities: [TenantEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES], poolSize: POOL,
  });
  await dataSource.initialize();
  const db = new TenantDatabase(dataSource);
  const issuer = new CouponIssuerService(db);
  const redeemer = new CouponRedeemerService(db);
  try {
    const tenantId = (await new TenantsService(db).create({ name: 'Bench' }, 'bench')).id as TenantId;
    const promotion = await new PromotionsService(db).create(
      tenantId, { name: 'Bench', offer: 'A coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + DAY) }, 'bench',
    );
    const merchantId = (await new MerchantsService(db).create(tenantId, { name: 'Till' }, 'bench')).id;
    const figures: Record<string, Timing> = {};
    const report = (key: string, label: string, t: Timing) => {
      figures[key] = t;
      console.log(line(label, t));
    };
    console.log(`coupons bench: pool ${POOL} connections, ${ISSUE} issued, race ${RACE_COUPONS} x ${RACE_ATTEMPTS}`);

    // Warm-up: JIT, pool connections, plan caches.
    await timed(Array.from({ length: 200 }, (_, i) => () =>
      issuer.issue(tenantId, { promotionId: promotion.id, phone: '+14155550100', issueKey: `warm-${i}` })), POOL);

    const issued = await timed(Array.from({ length: ISSUE }, (_, i) => () =>
      issuer.issue(tenantId, { promotionId: promotion.id, phone: '+14155550101', issueKey: `bench-${i}` })), POOL);
    report('issue', 'issue (service: tx, set_config, INSERT..SELECT)', issued.timing);

    const once = await timed(issued.results.map((c) => () => redeemer.redeem(tenantId, { serial: c.serial, merchantId })), POOL);
    assertOutcomes(once.results, { redeemed: ISSUE });
    report('redeem', 'redeem, each coupon once (service)', once.timing);

    const raceCoupons = (await timed(Array.from({ length: RACE_COUPONS }, (_, i) => () =>
      issuer.issue(tenantId, { promotionId: promotion.id, phone: '+14155550102', issueKey: `race-${i}` })), POOL)).results;
    const race = await timed(raceCoupons.flatMap((c) =>
      Array.from({ length: RACE_ATTEMPTS }, () => () => redeemer.redeem(tenantId, { serial: c.serial, merchantId }))), POOL);
    assertOutcomes(race.results, { redeemed: RACE_COUPONS, 'already-redeemed': RACE_COUPONS * (RACE_ATTEMPTS - 1) });
    report('race', `redeem race, ${RACE_ATTEMPTS} at once per coupon (service)`, race.timing);

    await dataSource.destroy();
    const raw = await rawStatements(database.appUrl, { tenantId, promotionId: promotion.id, merchantId }, { count: ISSUE, raceCoupons: RACE_COUPONS, raceAttempts: RACE_ATTEMPTS, pool: POOL });
    report('rawInsert', 'bare INSERT INTO coupons (pg pool, autocommit)', raw.insert);
    report('rawUpdate', 'bare conditional UPDATE, each coupon once (pg pool)', raw.update);
    report('rawRace', `bare conditional UPDATE, ${RACE_ATTEMPTS} at once per coupon`, raw.race);

    const ratio = (a: string, b: string) => (figures[a].perSecond / figures[b].perSecond).toFixed(2);
    console.log(`ratio issue service / bare INSERT:             ${ratio('issue', 'rawInsert')}`);
    console.log(`ratio redeem service / bare UPDATE (each once): ${ratio('redeem', 'rawUpdate')}`);
    console.log(`ratio redeem race service / bare UPDATE race:   ${ratio('race', 'rawRace')}`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

function assertOutcomes(results: { outcome: string }[], expected: Record<string, number>): void {
  const seen: Record<string, number> = {};
  for (const r of results) seen[r.outcome] = (seen[r.outcome] ?? 0) + 1;
  const keys = new Set([...Object.keys(seen), ...Object.keys(expected)]);
  if ([...keys].some((key) => seen[key] !== expected[key])) {
    throw new Error(`unexpected outcomes: ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
