// What the soak measures: latencies per minute by kind, and every error by kind, expected or not.

export type LatencyKind =
  | 'voice-first' | 'voice-step' | 'voice-status' | 'sms-inbound' | 'sms-status' | 'other-webhook'
  | 'inbound-call' | 'redemption' | 'admin-graphql';

export interface ErrorCount { kind: string; expected: boolean; count: number; samples: string[] }

export class Recorder {
  /** When the load began (set by the run once the platform is up). */
  t0 = Date.now();
  /** minute -> kind -> milliseconds */
  private readonly latency = new Map<number, Map<LatencyKind, number[]>>();
  /** minute -> "kind|expected" -> count */
  private readonly errorsByMinute = new Map<number, Map<string, number>>();
  private readonly errors = new Map<string, ErrorCount>();
  /** Counts of things that went right, by name (calls completed, coupons redeemed, ...). */
  readonly counts = new Map<string, number>();

  minute(at = Date.now()): number {
    return Math.floor((at - this.t0) / 60_000);
  }

  latencyOf(kind: LatencyKind, ms: number): void {
    const minute = this.minute();
    let byKind = this.latency.get(minute);
    if (!byKind) this.latency.set(minute, (byKind = new Map()));
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, (list = []));
    list.push(ms);
  }

  error(kind: string, expected: boolean, sample?: string): void {
    const key = `${kind}|${expected}`;
    let entry = this.errors.get(key);
    if (!entry) this.errors.set(key, (entry = { kind, expected, count: 0, samples: [] }));
    entry.count++;
    if (sample !== undefined && entry.samples.length < 3) entry.samples.push(sample.slice(0, 300));
    const minute = this.minute();
    let byKind = this.errorsByMinute.get(minute);
    if (!byKind) this.errorsByMinute.set(minute, (byKind = new Map()));
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }

  count(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  allErrors(): ErrorCount[] {
    return [...this.errors.values()].sort((a, b) => Number(a.expected) - Number(b.expected) || b.count - a.count);
  }

  /** Latencies of a kind over minutes [from, to). */
  latencies(kind: LatencyKind, from: number, to: number): number[] {
    const out: number[] = [];
    for (let m = from; m < to; m++) out.push(...(this.latency.get(m)?.get(kind) ?? []));
    return out;
  }

  kinds(): LatencyKind[] {
    const kinds = new Set<LatencyKind>();
    for (const byKind of this.latency.values()) for (const kind of byKind.keys()) kinds.add(kind);
    return [...kinds].sort();
  }

  latencyCsv(): string {
    const rows = ['minute,kind,count,p50_ms,p99_ms,max_ms'];
    for (const [minute, byKind] of [...this.latency].sort((a, b) => a[0] - b[0])) {
      for (const [kind, list] of byKind) {
        const s = summarize(list);
        rows.push(`${minute},${kind},${s.n},${s.p50.toFixed(1)},${s.p99.toFixed(1)},${s.max.toFixed(1)}`);
      }
    }
    return `${rows.join('\n')}\n`;
  }

  errorsCsv(): string {
    const rows = ['minute,kind,expected,count'];
    for (const [minute, byKind] of [...this.errorsByMinute].sort((a, b) => a[0] - b[0])) {
      for (const [key, count] of byKind) {
        const [kind, expected] = key.split('|');
        rows.push(`${minute},${kind},${expected},${count}`);
      }
    }
    return `${rows.join('\n')}\n`;
  }
}

export function summarize(values: number[]): { n: number; p50: number; p99: number; max: number } {
  if (values.length === 0) return { n: 0, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: sorted.length, p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1] };
}

/** Least-squares slope of y over x. */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}
