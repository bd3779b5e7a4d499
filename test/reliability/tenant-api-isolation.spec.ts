import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { startGateways, type GatewayHarness, type TestTenant } from '../gateway/support/gateway-harness';
import { SignedCall } from '../gateway/support/signed-call';
import { spoken } from '../gateway/support/twiml-reader';

/** Tenant A's API: one path hangs past the http node's 10 s cap, one answers 500, one answers 200 with HTML. */
async function startFaultyApi() {
  const held = new Set<import('node:http').ServerResponse>();
  const counts = { hang: 0, broken: 0, garbage: 0, fine: 0 };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0].slice(1) as keyof typeof counts;
    counts[path] = (counts[path] ?? 0) + 1;
    if (path === 'hang') {
      held.add(res);
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"late"}'), 12_000).unref();
    } else if (path === 'broken') res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"database down"}');
    else if (path === 'garbage') res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>\u0000\uffff');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"Bea"}');
  });
  server.keepAliveTimeout = 1;
  let open = 0;
  let peak = 0;
  server.on('connection', (socket) => {
    peak = Math.max(peak, ++open);
    socket.on('close', () => void open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    peakConnections: () => peak,
    close: () => new Promise<void>((resolve) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const lookupFlow = (url: string, timeoutMs: number) => ({
  schemaVersion: 1, name: 'Lookup', start: 'lookup',
  nodes: {
    lookup: { type: 'http', method: 'GET', url, timeoutMs, extract: { name: '$.name' }, next: { success: 'menu', failure: 'sorry', timeout: 'slow' } },
    menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Hello {{ vars.name }}, press 1.' }], options: [{ key: '1', next: 'thanks' }], next: { 'no-input': 'bye', invalid: 'bye' } },
    thanks: { type: 'say', text: 'Thank you.', next: 'bye' },
    sorry: { type: 'say', text: 'Our system answered {{ nodes.lookup.status }}.', next: 'bye' },
    slow: { type: 'say', text: 'Our system is slow today.', next: 'bye' },
    bye: { type: 'hangup' },
  },
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe("one tenant's API hanging, failing or answering garbage, while another tenant's calls go on (one gateway)", () => {
  let gw: GatewayHarness;
  let api: Awaited<ReturnType<typeof startFaultyApi>>;
  let otherApi: Awaited<ReturnType<typeof startFaultyApi>>;
  const a = {} as Record<'hang' | 'broken' | 'garbage', TestTenant>;
  let b: TestTenant;
  let c: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    api = await startFaultyApi();
    otherApi = await startFaultyApi();
    a.hang = await gw.tenantWithFlow('A hanging', '+14155550141', lookupFlow(`${api.url}/hang`, 10_000));
    a.broken = await gw.tenantWithFlow('A failing', '+14155550142', lookupFlow(`${api.url}/broken`, 10_000));
    a.garbage = await gw.tenantWithFlow('A garbage', '+14155550143', lookupFlow(`${api.url}/garbage`, 10_000));
    b = await gw.tenantWithFlow('B', '+14155550144', lookupFlow(`${otherApi.url}/fine`, 2_000));
    c = await gw.tenantWithFlow('C healthy', '+14155550145', lookupFlow(`${api.url}/fine`, 10_000));
  });
  afterAll(async () => {
    await gw?.close();
    await api?.close();
    await otherApi?.close();
  });

  /** Callers of the given tenants arriving over `spreadMs`, while 4 of B's callers run in a closed loop; B's step latencies. */
  async function burstWithB(callers: { tenant: TestTenant; mode: string }[], spreadMs: number) {
    const started = Date.now();
    const cpu = process.cpuUsage();
    const results = callers.map(async ({ tenant, mode }, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * spreadMs) / callers.length));
      const call = new SignedCall([gw.url], tenant, `+1555124${String(i).padStart(4, '0')}`);
      const t0 = Date.now();
      const heard = spoken(await call.start()).join(' ');
      return { mode, heard, ms: Date.now() - t0 };
    });
    const stepsOfB: number[] = [];
    const heardByB = new Set<string>();
    let done = false;
    const all = Promise.all(results).finally(() => void (done = true));
    await Promise.all(Array.from({ length: 4 }, async (_, worker) => {
      for (let n = 0; !done; n++) {
        const call = new SignedCall([gw.url], b, `+1555125${worker}${String(n).padStart(3, '0')}`);
        let t0 = Date.now();
        heardByB.add(spoken(await call.start()).join(' '));
        stepsOfB.push(Date.now() - t0);
        t0 = Date.now();
        heardByB.add(spoken(await call.press('1')).join(' '));
        stepsOfB.push(Date.now() - t0);
        await call.status('completed');
      }
    }));
    const used = process.cpuUsage(cpu);
    const others = await all;
    const steps = others.length + stepsOfB.length;
    return {
      others, heardByB, stepsOfB,
      figures: {
        stepsOfB: stepsOfB.length, p50: percentile(stepsOfB, 50), p99: percentile(stepsOfB, 99), max: Math.max(...stepsOfB),
        cpuMsPerStep: Math.round((used.user + used.system) / 1000 / steps), wallMs: Date.now() - started,
      },
    };
  }

  it("callers hear the timeout and failure outcomes; tenants sharing the hung host and tenant B are answered as fast as beside a healthy burst", async () => {
    const healthy = await burstWithB(Array.from({ length: 30 }, () => ({ tenant: c, mode: 'fine' })), 1_000);
    expect(new Set(healthy.others.map((r) => r.heard))).toEqual(new Set(['Hello Bea, press 1.']));

    // The hung tenant's 16 callers first, more than the 8 connections the egress client keeps per origin and tenant;
    // then the failing and garbage tenants' 8 each, whose requests go to the same host.
    const faulty = await burstWithB([
      ...Array.from({ length: 16 }, () => ({ tenant: a.hang, mode: 'hang' })),
      ...(['broken', 'garbage'] as const).flatMap((mode) => Array.from({ length: 8 }, () => ({ tenant: a[mode], mode }))),
    ], 2_000);
    const byMode = (mode: string) => faulty.others.filter((r) => r.mode === mode);
    expect(new Set(byMode('hang').map((r) => r.heard))).toEqual(new Set(['Our system is slow today.']));
    expect(new Set(byMode('broken').map((r) => r.heard))).toEqual(new Set(['Our system answered 500.']));
    expect(new Set(byMode('garbage').map((r) => r.heard))).toEqual(new Set(['Our system answered 200.']));
    // Each hung caller is released at the node's cap (10 s), not later: the ones queued behind the pool wait no longer.
    const hangMs = byMode('hang').map((r) => r.ms);
    expect(Math.min(...hangMs)).toBeGreaterThanOrEqual(9_900);
    expect(Math.max(...hangMs)).toBeLessThan(12_500);

    expect(faulty.heardByB).toEqual(new Set(['Hello Bea, press 1.', 'Thank you.']));
    const load = loadavg()[0].toFixed(1);
    process.stdout.write(`tenant-api-isolation (load ${load}): healthy burst ${JSON.stringify(healthy.figures)}; faulty burst ${JSON.stringify({ ...faulty.figures, hangMs: [Math.min(...hangMs), Math.max(...hangMs)], otherFaultsMaxMs: Math.max(...byMode('broken').map((r) => r.ms), ...byMode('garbage').map((r) => r.ms)), peakConnectionsToTheHungHost: api.peakConnections() })}\n`);
    expect(faulty.stepsOfB.length).toBeGreaterThan(40);
    // The bound: p99 under 1 s, or (on a machine busy with other work) within twice the worst step beside the healthy
    // burst. A starved pool would show as steps of 10 s (the hung API's cap), far past either.
    expect(faulty.figures.p99).toBeLessThan(Math.max(1_000, 2 * healthy.figures.max));
    // The failing and garbage tenants call the hung tenant's host: their callers are answered as fast, not after the
    // hung calls give up (a pool shared across tenants made them wait about 10 s).
    const others = [...byMode('broken'), ...byMode('garbage')].map((r) => r.ms);
    expect(Math.max(...others)).toBeLessThan(Math.max(2_000, 2 * healthy.figures.max));
  });
});
