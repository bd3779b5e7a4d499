import { signWebhook, WEBHOOK_SIGNATURE_HEADER, type WebhookDeliveriesService, type WebhookDeliveryStatus } from '@ringflow/campaign';
import type { HttpPort } from '@ringflow/flow';
import type { JobName, TypedJob } from '@ringflow/queue';
import { asTenantId } from '@ringflow/tenancy';

/** A delivery to try again later; its message is the reason (no secrets, no bodies). */
export class WebhookRetryError extends Error {
  override name = 'WebhookRetryError';
}

export interface WebhookDeliveryOptions {
  timeoutMs: number;
  /** Unix time in ms; tests may move it. */
  now?: () => number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Posts one webhook delivery, signed (`X-Ringflow-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`)
 * with the endpoint's secret, through the SSRF-safe client. A 2xx delivers it; anything else retries with
 * backoff, and the last try dead-letters it (replayable with WebhookDeliveriesService.replay).
 */
export class WebhookDeliveryProcessor {
  constructor(
    private readonly deliveries: WebhookDeliveriesService,
    private readonly http: HttpPort,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  async process(job: TypedJob<JobName.DeliverWebhook>): Promise<WebhookDeliveryStatus | 'not-pending'> {
    const tenantId = asTenantId(job.data.tenantId);
    const { deliveryId } = job.data;
    const webhook = await this.deliveries.forSending(tenantId, deliveryId);
    if (!webhook) return 'not-pending';

    const timestamp = Math.floor((this.options.now?.() ?? Date.now()) / 1000);
    const result = await this.http.request({
      method: 'POST',
      url: webhook.url,
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: signWebhook(webhook.secret, webhook.body, timestamp),
        'x-ringflow-event': webhook.delivery.eventType,
        'x-ringflow-delivery': webhook.delivery.id,
      },
      body: webhook.body,
      timeoutMs: this.options.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
      return this.deliveries.recordAttempt(tenantId, deliveryId, { ok: true, status: result.status });
    }
    const error = result.kind === 'timeout' ? `no answer within ${this.options.timeoutMs} ms` : result.kind === 'failure' ? result.reason : `HTTP status ${result.status}`;
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const status = await this.deliveries.recordAttempt(tenantId, deliveryId, {
      ok: false, status: result.kind === 'response' ? result.status : null, error, final,
    });
    if (status === 'pending') throw new WebhookRetryError(error);
    return status;
  }
}
