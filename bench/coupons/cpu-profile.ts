// Preloaded into the gateway by bench/coupons/http.ts when BENCH_CPU_PROFILE names a file. Over the IPC channel,
// 'profile-start' starts V8's CPU profiler and 'profile-stop' writes the .cpuprofile and answers 'profile-written'
// (so start-up is left out). Not a signal: NestJS's shutdown hooks close the app on SIGUSR2 and most others.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.BENCH_CPU_PROFILE_OUT;
if (out && process.send) {
  const session = new Session();
  session.connect();
  process.on('message', (message) => {
    if (message === 'profile-start') session.post('Profiler.enable', () => session.post('Profiler.start'));
    if (message === 'profile-stop') {
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(out, JSON.stringify(result.profile));
        process.send?.('profile-written');
      });
    }
  });
  // The channel must not keep the gateway up after a shutdown.
  process.channel?.unref();
}
