import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { generateSerial } from '@ringflow/campaign';
import { runMigrations } from '@ringflow/database';
import { TEST_PG, urlFor } from '@ringflow/testing';
import { migrations } from '../../migrations';

/** A freshly migrated database of the benchmark's own (dropped by `drop`), reached as the app role. */
export async function benchDatabase() {
  const name = `ringflow_bench_${randomBytes(4).toString('hex')}`;
  await runMigrations({ adminUrl: urlFor(name, 'admin'), appUrl: urlFor(name, 'app'), migrations });
  return {
    appUrl: urlFor(name, 'app'),
    adminUrl: urlFor(name, 'admin'),
    drop: async () => {
      const admin = new Client({ connectionString: TEST_PG.admin });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface Timing {
  count: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

/** Runs the tasks with at most `width` in flight, in order, timing each; returns results in order and the figures. */
export async function timed<T>(tasks: (() => Promise<T>)[], width: number): Promise<{ results: T[]; timing: Timing }> {
  const results = new Array<T>(tasks.length);
  const latencies = new Float64Array(tasks.length);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        results[i] = await tasks[i]();
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { results, timing: { count: tasks.length, seconds, perSecond: tasks.length / seconds, p50ms: at(0.5), p99ms: at(0.99) } };
}

export function line(label: string, t: Timing): string {
  return `${label.padEnd(58)} ${String(t.count).padStart(7)} in ${t.seconds.toFixed(2).padStart(6)} s  ${Math.round(t.perSecond).toString().padStart(6)}/s  p50 ${t.p50ms.toFixed(1).padStart(6)} ms  p99 ${t.p99ms.toFixed(1).padStart(6)} ms`;
}

/** The same statements without the service around them: one autocommit statement each, tenant set per connection. */
export async function rawStatements(
  appUrl: string,
  { tenantId, promotionId, merchantId }: { tenantId: string; promotionId: string; merchantId: string },
  { count, raceCoupons, raceAttempts, pool: width }: { count: number; raceCoupons: number; raceAttempts: number; pool: number },
) {
  const pool = new Pool({ connectionString: appUrl, max: width, options: `-c app.tenant_id=${tenantId}` });
  const insertSql = `INSERT INTO coupons (tenant_id, promotion_id, serial, phone, issue_key, expires_at)
                     VALUES ($1, $2, $3, '+14155550103', $4, now() + interval '1 day') RETURNING serial`;
  const updateSql = `UPDATE coupons SET redeemed_at = now(), redeemed_by_merchant_id = $3
                      WHERE tenant_id = $1 AND serial = $2 AND redeemed_at IS NULL AND expires_at > now() RETURNING id`;
  try {
    const inserted = await timed(Array.from({ length: count }, () => () =>
      pool.query(insertSql, [tenantId, promotionId, generateSerial(), randomUUID()]).then((r) => r.rows[0].serial as string)), width);
    const update = await timed(inserted.results.map((serial) => () => pool.query(updateSql, [tenantId, serial, merchantId])), width);
    const hits = update.results.filter((r) => r.rowCount === 1).length;
    if (hits !== count) throw new Error(`bare UPDATE redeemed ${hits} of ${count}`);

    const raceSerials = (await timed(Array.from({ length: raceCoupons }, () => () =>
      pool.query(insertSql, [tenantId, promotionId, generateSerial(), randomUUID()]).then((r) => r.rows[0].serial as string)), width)).results;
    const race = await timed(raceSerials.flatMap((serial) =>
      Array.from({ length: raceAttempts }, () => () => pool.query(updateSql, [tenantId, serial, merchantId]))), width);
    const raceHits = race.results.filter((r) => r.rowCount === 1).length;
    if (raceHits !== raceCoupons) throw new Error(`bare UPDATE race redeemed ${raceHits} of ${raceCoupons}`);
    return { insert: inserted.timing, update: update.timing, race: race.timing };
  } finally {
    await pool.end();
  }
}
