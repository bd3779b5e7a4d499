import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
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
