import { Writable } from 'node:stream';
import { ClsModule, ClsServiceManager } from 'nestjs-cls';
import { Test } from '@nestjs/testing';
import { createLogger, runReadinessChecks } from '@ringflow/observability';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l)) };
}

describe('createLogger', () => {
  beforeAll(async () => {
    await Test.createTestingModule({ imports: [ClsModule.forRoot({ global: true })] }).compile();
  });

  it('writes JSON lines with the app name and redacts secrets and sensitive digits', () => {
    const out = capture();
    const logger = createLogger('gateway', 'info', out.stream);
    logger.info({ authToken: 'tok_secret', body: { Digits: '4111111111111111', password: 'pw' } }, 'step');
    const [line] = out.lines();
    expect(line).toMatchObject({ app: 'gateway', level: 'info', msg: 'step', authToken: '[redacted]' });
    expect(JSON.stringify(line)).not.toContain('4111111111111111');
    expect(JSON.stringify(line)).not.toContain('tok_secret');
    expect((line.body as Record<string, unknown>).password).toBe('[redacted]');
  });

  it('adds request, tenant and call ids from the async context', () => {
    const out = capture();
    const logger = createLogger('gateway', 'info', out.stream);
    const cls = ClsServiceManager.getClsService();
    cls.run(() => {
      cls.set('requestId', 'req-1');
      cls.set('tenantId', 't-1');
      cls.set('callSid', 'CA123');
      logger.info('inside');
    });
    logger.info('outside');
    const [inside, outside] = out.lines();
    expect(inside).toMatchObject({ requestId: 'req-1', tenantId: 't-1', callSid: 'CA123' });
    expect(outside.tenantId).toBeUndefined();
  });
});

describe('runReadinessChecks', () => {
  it('reports each dependency and is not ready when one fails or hangs', async () => {
    const report = await runReadinessChecks(
      [
        { name: 'postgres', check: async () => undefined },
        { name: 'redis', check: () => Promise.reject(new Error('ECONNREFUSED')) },
        { name: 'slow', check: () => new Promise(() => undefined) },
      ],
      50,
    );
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({
      postgres: { ok: true },
      redis: { ok: false, error: 'ECONNREFUSED' },
      slow: { ok: false, error: 'no answer within 50 ms' },
    });
  });
});
