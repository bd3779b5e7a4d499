import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SafeHttpClient } from '@ringflow/egress';
import type { FlowPorts } from '@ringflow/flow';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { PullQueuePort } from '../queue/pull-queue.port';
import { CouponIssuingPort } from './coupon-issuing.port';
import { FlowSmsPort } from './flow-sms.port';
import { OptOutPort } from './opt-out.port';
import { SmtpEmailPort } from './smtp-email.port';

/** The ports the gateway gives every flow step: SSRF-safe HTTP, SMS, email through the tenant's SMTP server, coupons, the pull queue, opt-outs. */
@Injectable()
export class FlowPortsProvider implements OnApplicationShutdown {
  readonly ports: FlowPorts;
  private readonly http: SafeHttpClient;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    sms: FlowSmsPort,
    email: SmtpEmailPort,
    coupon: CouponIssuingPort,
    queue: PullQueuePort,
    consent: OptOutPort,
  ) {
    this.http = new SafeHttpClient({ allowCidrs: config.HTTP_EGRESS_ALLOW_CIDRS });
    this.ports = { http: this.http, sms, email, coupon, queue, consent };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
