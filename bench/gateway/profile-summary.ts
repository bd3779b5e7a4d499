import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: a package, our own code by lib/app, Node itself, or V8's pseudo-frames (GC, idle). */
function areaOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0];
  const ours = /\/(libs\/[^/]+|apps\/[^/]+)\//.exec(url);
  return ours ? ours[1] : url.split('/').slice(-2).join('/');
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/work\/main\//, '');
}

const OURS = /\/work\/main\/(apps|libs)\/|\/(apps|libs)\/[^/]+\/src\//;

/**
 * Self time of a sampled CPU profile as printable lines (busy time only: idle and the profiler's own work excluded):
 * by area (package, lib, Node, GC), by function, and by the nearest function of ours on the stack (what a
 * package's time was spent for; async hops cut stacks, so some time has no caller of ours).
 */
export function summarise(file: string, top = 20): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const stackOf = (id: number) => {
    const frames: ProfileNode['callFrame'][] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur)!.callFrame);
    return frames;
  };
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  const ours = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const stack = stackOf(id);
    if (functionName === '(idle)' || stack.some((f) => f.url.includes('profiled-gateway'))) {
      idle += micros;
      continue;
    }
    busy += micros;
    const mine = stack.find((f) => OURS.test(f.url));
    const owner = mine ? `${mine.functionName || '(anonymous)'} ${shortUrl(mine.url)}:${mine.lineNumber + 1}` : '(no function of ours on the stack)';
    ours.set(owner, (ours.get(owner) ?? 0) + micros);
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + micros);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + micros);
  }
  const pct = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %`;
  const lines = [`busy ${(busy / 1e6).toFixed(2)} s, idle or profiler ${(idle / 1e6).toFixed(2)} s of the profiled run`, 'self time by area:'];
  for (const [area, micros] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(micros)}  ${area}`);
  lines.push('top functions by self time:');
  for (const [name, micros] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(micros)}  ${name}`);
  lines.push('self time by the nearest function of ours on the stack:');
  for (const [name, micros] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(micros)}  ${name}`);
  return lines;
}
