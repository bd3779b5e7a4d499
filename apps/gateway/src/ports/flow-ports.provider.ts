import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SafeHttpClient } from '@ringflow/egress';
import type { FlowPorts } from '@ringflow/flow';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { PullQueuePort } from '../queue/pull-queue.port';
import { IntentOutbox } from './intent-outbox';
import { optOutIntentPort, couponIntentPort, emailIntentPort, smsIntentPort } from './intent-recording-ports';

/** The ports the gateway gives every flow step: SSRF-safe HTTP, the pull queue, and the intent outbox for everything else. */
@Injectable()
export class FlowPortsProvider implements OnApplicationShutdown {
  readonly ports: FlowPorts;
  private readonly http: SafeHttpClient;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, outbox: IntentOutbox, queue: PullQueuePort) {
    this.http = new SafeHttpClient({ allowCidrs: config.HTTP_EGRESS_ALLOW_CIDRS });
    this.ports = {
      http: this.http,
      sms: smsIntentPort(outbox),
      email: emailIntentPort(outbox),
      coupon: couponIntentPort(outbox),
      queue,
      consent: optOutIntentPort(outbox),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
