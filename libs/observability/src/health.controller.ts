import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { Public } from './public.decorator';
import { AppMetrics } from './metrics';
import { READINESS_CHECKS, type ReadinessCheck, type ReadinessReport, runReadinessChecks } from './readiness';

interface ReplyLike {
  status(code: number): ReplyLike;
  send(body: unknown): void;
}

/** Liveness, readiness (every dependency answers) and Prometheus metrics. */
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    private readonly metrics: AppMetrics,
  ) {}

  @Public()
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('readyz')
  async readyz(@Res() reply: ReplyLike): Promise<void> {
    const report: ReadinessReport = await runReadinessChecks(this.checks);
    reply.status(report.ready ? 200 : 503).send(report);
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
