// The soak's report: memory at fixed minutes with a trend verdict, latency per block, errors, checks.
import type { Check } from './checks';
import { type Recorder, slope, summarize } from './recorder';

export interface MemorySample { minute: number; rss: number; heap?: number; cpu?: number }

/** Slope over the last half of the run (at most its last 30 minutes): flat below max(2 MB, 2 %) over that window. */
export function trend(samples: MemorySample[], pick: (s: MemorySample) => number | undefined): { perMin: number; window: number; verdict: string } {
  const end = samples.at(-1)?.minute ?? 0;
  const window = Math.min(30, end / 2);
  const points = samples.filter((s) => s.minute >= end - window && pick(s) !== undefined).map((s) => [s.minute, pick(s)!] as [number, number]);
  const perMin = slope(points);
  if (!Number.isFinite(perMin)) return { perMin, window, verdict: 'n/a' };
  const mean = points.reduce((s, p) => s + p[1], 0) / points.length;
  const growth = perMin * window;
  // The last third on its own: a growth that is levelling off shows a much smaller slope there.
  const tail = slope(points.filter((p) => p[0] >= end - window / 3));
  let verdict = Math.abs(growth) <= Math.max(2, 0.02 * mean) ? 'flat' : growth > 0 ? 'GROWING' : 'shrinking';
  if (verdict === 'GROWING' && Number.isFinite(tail) && tail < perMin / 3) verdict = 'growing, levelling off';
  return { perMin, window, verdict };
}

const at = (samples: MemorySample[], minute: number, pick: (s: MemorySample) => number | undefined) => {
  const s = samples.reduce<MemorySample | undefined>((best, x) => (!best || Math.abs(x.minute - minute) < Math.abs(best.minute - minute) ? x : best), undefined);
  const v = s && Math.abs(s.minute - minute) <= 0.5 ? pick(s) : undefined;
  return v === undefined ? '-' : v.toFixed(0);
};
const NOTES: Record<string, string> = {
  'telephony-sim': ' (keeps its last 20,000 calls and messages with transcripts: grows until then, by design)',
  'soak-driver': ' (keeps every latency for the report: grows by design)',
};
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

export function report(input: {
  minutes: number; totalMinutes: number; perOp: Array<{ app: string; what: string; count: number }>; memory: Map<string, MemorySample[]>; recorder: Recorder; checks: Check[]; severe: Map<string, { count: number; expected: boolean; sample: string }>;
  exits: string[]; loads: number[]; settings: string;
}): string {
  const out: string[] = [];
  const { recorder } = input;
  out.push(`Ringflow soak: ${input.minutes} min of load (${input.totalMinutes} min with the drain); ${input.settings}`);
  const loads = input.loads;
  out.push(`load average (1 min) over the run: min ${fmt(Math.min(...loads))}, median ${fmt([...loads].sort((x, y) => x - y)[Math.floor(loads.length / 2)])}, max ${fmt(Math.max(...loads))} (2 cores, shared)`);
  out.push('', 'Memory (MB) at minutes 5 / 15 / 30 / 60, and the trend of the last half of the run (<= 30 min): slope MB/min, verdict');
  const marks = [5, 15, 30, 60];
  for (const [app, samples] of input.memory) {
    const rss = trend(samples, (s) => s.rss);
    out.push(`  ${app.padEnd(19)} RSS  ${marks.map((m) => at(samples, m, (s) => s.rss).padStart(5)).join(' ')}   end ${(samples.at(-1)?.rss ?? NaN).toFixed(0)}  slope ${fmt(rss.perMin)} MB/min over ${fmt(rss.window)} min: ${rss.verdict}${NOTES[app] ?? ''}`);
    if (samples.some((s) => s.heap !== undefined)) {
      const heap = trend(samples, (s) => s.heap);
      out.push(`  ${''.padEnd(19)} heap ${marks.map((m) => at(samples, m, (s) => s.heap).padStart(5)).join(' ')}   end ${(samples.at(-1)?.heap ?? NaN).toFixed(0)}  slope ${fmt(heap.perMin)} MB/min over ${fmt(heap.window)} min: ${heap.verdict}`);
    }
    const [first, last] = [samples[0], samples.at(-1)];
    if (first?.cpu !== undefined && last?.cpu !== undefined && last.minute > first.minute) {
      const used = last.cpu - first.cpu;
      const ops = input.perOp.filter((p) => p.app === app && p.count > 0).map((p) => `${((used * 1000) / p.count).toFixed(1)} ms per ${p.what} (${p.count})`);
      out.push(`  ${''.padEnd(19)} CPU  ${used.toFixed(0)} s under load (${((used / ((last.minute - first.minute) * 60)) * 100).toFixed(1)} % of one core)${ops.length ? `; ${ops.join(', ')}` : ''}`);
    }
  }
  const block = input.minutes >= 30 ? 10 : 1;
  out.push('', `Latency per ${block}-minute block (ms): count p50 / p99 (max)`);
  const blocks = Math.ceil(input.minutes / block);
  for (const kind of recorder.kinds()) {
    const cells: string[] = [];
    for (let i = 0; i < blocks; i++) {
      const s = summarize(recorder.latencies(kind, i * block, (i + 1) * block));
      cells.push(s.n ? `${s.n} ${s.p50.toFixed(0)}/${s.p99.toFixed(0)} (${s.max.toFixed(0)})` : '-');
    }
    out.push(`  ${kind.padEnd(14)} ${cells.join(' | ')}`);
  }
  out.push('', 'Done:');
  for (const [name, n] of [...recorder.counts].sort()) out.push(`  ${name}: ${n}`);
  out.push('', 'Errors, by kind (expected ones are the answers the soak asked for):');
  const errors = recorder.allErrors();
  if (errors.length === 0) out.push('  none');
  for (const e of errors) out.push(`  ${e.expected ? 'expected  ' : 'UNEXPECTED'} ${String(e.count).padStart(6)}  ${e.kind}${e.samples.length ? `  e.g. ${e.samples[0]}` : ''}`);
  out.push('', 'App log lines at level error/fatal, by app and message:');
  if (input.severe.size === 0) out.push('  none');
  for (const [key, v] of input.severe) out.push(`  ${v.expected ? 'expected  ' : 'UNEXPECTED'} ${String(v.count).padStart(6)}  ${key}  e.g. ${v.sample.slice(0, 300)}`);
  for (const exit of input.exits) out.push(`  UNEXPECTED ${exit}`);
  out.push('', 'Checks at the end:');
  for (const c of input.checks) out.push(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  const unexpected = errors.filter((e) => !e.expected).reduce((s, e) => s + e.count, 0) + [...input.severe.values()].filter((v) => !v.expected).reduce((s, v) => s + v.count, 0) + input.exits.length;
  const failed = input.checks.filter((c) => !c.ok).length;
  const growing = [...input.memory].filter(([, s]) => trend(s, (x) => x.rss).verdict === 'GROWING').map(([app]) => app);
  out.push('', `Verdict: ${unexpected} unexpected errors, ${failed} failed checks, RSS still growing in: ${growing.join(', ') || 'none'}`);
  return out.join('\n');
}
