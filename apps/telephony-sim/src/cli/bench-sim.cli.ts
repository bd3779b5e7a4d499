import { performance } from 'node:perf_hooks';
import { startSimulator } from '../simulator';
import { SimTestClient } from '../testing/sim-test-client';
import { WebhookRecorder } from '../testing/webhook-recorder';

/** Prints how fast the simulator answers REST calls and runs simulated calls on this machine. */
async function bench(total = Number(process.env.BENCH_CALLS ?? 500), concurrency = Number(process.env.BENCH_CONCURRENCY ?? 25)): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  const app = await new WebhookRecorder((req) =>
    req.path === '/voice'
      ? '<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather></Response>'
      : '<Response><Say>Thanks</Say><Hangup/></Response>',
  ).start();
  const client = new SimTestClient(sim);
  const acct = await client.account({ cps: 1_000_000, mps: 1_000_000 });
  await client.number(acct.sid, '+15550900001', { voiceUrl: `${app.url}/voice` });

  const pool = async (n: number, task: (i: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }));
  };
  const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

  const latencies: number[] = [];
  let t0 = performance.now();
  await pool(total, async () => {
    const s = performance.now();
    const res = await client.api(acct, 'POST', '/Calls.json', { To: '+15550911111', From: '+15550900001', Twiml: '<Response><Say>hi</Say></Response>' });
    if (res.status !== 201) throw new Error(`create answered ${res.status}`);
    latencies.push(performance.now() - s);
  });
  const restSeconds = (performance.now() - t0) / 1000;
  console.log(`REST Calls.create: ${total} in ${restSeconds.toFixed(2)} s = ${(total / restSeconds).toFixed(0)}/s, p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms (concurrency ${concurrency})`);

  t0 = performance.now();
  await pool(total, async (i) => {
    const res = await client.control<{ heard: string[] }>('POST', '/sim/calls', { from: `+1555092${String(i).padStart(4, '0')}`, to: '+15550900001', script: { presses: ['1'] }, wait: true });
    if (res.body.heard?.join('|') !== 'Press 1|Thanks') throw new Error(`unexpected call: ${JSON.stringify(res.body)}`);
  });
  const callSeconds = (performance.now() - t0) / 1000;
  console.log(`inbound calls with 2 signed webhooks each (Gather -> action): ${total} in ${callSeconds.toFixed(2)} s = ${(total / callSeconds).toFixed(0)} calls/s (concurrency ${concurrency})`);
  await sim.close();
  await app.stop();
}

bench().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
