// The telephony simulator in a process of its own for the campaign bench, so the time it takes to answer a
// Calls.create is its own and not that of the bench's stand-in gateway. Prints `listening <url>` once up; on
// SIGUSR2 writes when each call was created (the simulator's clock, ms) as JSON to the file in argv[2]; SIGTERM exits.
import { writeFileSync } from 'node:fs';
import { startSimulator } from '../../apps/telephony-sim/src/simulator';

async function main(): Promise<void> {
  const out = process.argv[2];
  const sim = await startSimulator({ port: 0 });
  const created: Array<{ accountSid: string; to: string; at: number }> = [];
  sim.store.events.on('call-created', (call) => created.push({ accountSid: call.accountSid, to: call.to, at: call.dateCreated.getTime() }));
  process.on('SIGUSR2', () => writeFileSync(out, JSON.stringify(created)));
  process.once('SIGTERM', () => void sim.close().finally(() => process.exit(0)));
  console.log(`listening ${sim.url}`);
}

void main();
