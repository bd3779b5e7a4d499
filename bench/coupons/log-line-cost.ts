// Run: node -r @swc-node/register bench/coupons/log-line-cost.ts | cat > /dev/null
// What the gateway's per-request info line costs: the app's own pino logger (redaction, context mixin) writing to a
// pipe, as the gateway's stdout is under a process manager, inside a request's async context. Prints (to stderr) CPU
// per line at info (written) and at warn (skipped, as a debug line is), in rounds alternating the two.
import { randomUUID } from 'node:crypto';
import { ClsServiceManager } from 'nestjs-cls';
import { createLogger } from '@ringflow/observability';

const LINES = Number(process.env.BENCH_LINES ?? 50_000);
const cls = ClsServiceManager.getClsService();

function cpuPerLine(level: 'info' | 'warn'): number {
  const logger = createLogger('gateway', level);
  const started = process.cpuUsage();
  for (let i = 0; i < LINES; i++) {
    cls.run(() => {
      cls.set('requestId', randomUUID());
      cls.set('tenantId', '0b6f3c1e-8d7a-4c1b-9a55-3f1c2d4e5f60');
      const line = { requestId: cls.get('requestId'), method: 'POST', route: '/api/v1/redemptions', status: 200, ms: 12 };
      if (logger.isLevelEnabled('info')) logger.info(line, 'request');
    });
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / LINES;
}

for (let round = 1; round <= 3; round++) {
  const written = cpuPerLine('info');
  const skipped = cpuPerLine('warn');
  process.stderr.write(`round ${round}: ${LINES} lines; CPU per request ${written.toFixed(1)} µs with the info line, ${skipped.toFixed(1)} µs without: `
    + `the line costs ${(written - skipped).toFixed(1)} µs\n`);
}
