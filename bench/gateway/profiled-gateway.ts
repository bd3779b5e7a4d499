// The gateway (apps/gateway/src/main.ts) with a CPU profiler the bench switches over IPC: the message 'start'
// starts sampling, 'stop' writes BENCH_PROFILE_FILE and answers 'written'. (`node --cpu-prof` writes only on a
// normal exit, and the gateway stops on a signal by re-raising it; Nest's shutdown hooks take SIGUSR2 too.)
// Run by bench/gateway/run.ts when BENCH_PROFILE=1.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const session = new Session();
session.connect();

process.on('message', (message) => {
  void (async () => {
    if (message === 'start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
      return;
    }
    if (message !== 'stop') return;
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.BENCH_PROFILE_FILE ?? 'gateway.cpuprofile', JSON.stringify(profile));
    process.send?.('written');
  })();
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../apps/gateway/src/main');
