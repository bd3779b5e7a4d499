import pino from 'pino';
import { startSimulator } from './simulator';

async function main(): Promise<void> {
  const log = pino({ name: 'telephony-sim' });
  const port = Number(process.env.PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log.fatal({ PORT: process.env.PORT }, 'PORT must be a port number');
    process.exit(1);
  }
  const realMsPerSecond = Number(process.env.SIM_REAL_MS_PER_SECOND ?? 0);
  const sim = await startSimulator({ port, host: process.env.HOST ?? '0.0.0.0', logger: log, realMsPerSecond, publicUrl: process.env.SIM_PUBLIC_URL || undefined });
  log.info({ url: sim.url }, 'telephony simulator listening');
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

void main();
