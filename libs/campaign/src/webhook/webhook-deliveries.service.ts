import type { EntityManager } from 'typeorm';
import { audit, isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { type WebhookDelivery, webhookDeliveryFromRow, type WebhookDeliveryStatus } from './webhook-delivery';
import type { WebhookEndpointsService } from './webhook-endpoints.service';
import type { WebhookEvent } from './webhook-event';
import type { WebhookJobs } from './webhook-jobs';
import { WebhookException } from './webhook.exception';

/** A delivery ready to post: the URL, the body and the secret to sign it with (memory only). */
export interface WebhookToSend {
  delivery: WebhookDelivery;
  url: string;
  body: string;
  secret: string;
}

/** How one try went: a 2xx, or why not (HTTP status when there was an answer). */
export type WebhookAttempt = { ok: true; status: number } | { ok: false; status: number | null; error: string; final: boolean };

/** The tenant's webhook deliveries: created per event and subscribed endpoint, tried, dead-lettered, replayed. */
export class WebhookDeliveriesService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly endpoints: WebhookEndpointsService,
    private readonly jobs: WebhookJobs,
  ) {}

  /** In the caller's transaction: one delivery per enabled endpoint subscribed to the event, once per event id. */
  async createForEvent<D>(em: EntityManager, tenantId: TenantId, event: WebhookEvent<D>): Promise<void> {
    await em.query(
      `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_type, event_key, payload)
       SELECT $1, e.id, $2, $3, $4 FROM webhook_endpoints e WHERE e.tenant_id = $1 AND e.enabled AND $2 = ANY(e.events)
       ON CONFLICT ON CONSTRAINT webhook_deliveries_once DO NOTHING`,
      [tenantId, event.type, event.id, JSON.stringify(event)],
    );
  }

  /** Queues every pending delivery of an event (again, after a crash: the job ids make a repeat a no-op). */
  async enqueuePending(tenantId: TenantId, eventKey: string): Promise<number> {
    const rows = await this.db.run(tenantId, (em) =>
      em.query(`SELECT id, replays FROM webhook_deliveries WHERE tenant_id = $1 AND event_key = $2 AND status = 'pending'`, [tenantId, eventKey]),
    );
    for (const row of rows) await this.jobs.enqueue(tenantId, row.id, row.replays);
    return rows.length;
  }

  /**
   * Puts failed delivery jobs back to wait when their delivery is still pending (and drops the others), and returns
   * how many it put back. BullMQ fails
   * a job whose worker died twice while holding it without retrying it; the delivery would stay pending for ever.
   * A retried job keeps its spent tries, so a delivery that keeps failing is dead-lettered on its next failed post.
   * Safe on every replica at once: a job another one moved first is skipped.
   */
  async requeueStranded(limit = 500): Promise<number> {
    let requeued = 0;
    for (const job of await this.jobs.failed(limit)) {
      if (!isUuid(job.tenantId) || !isUuid(job.deliveryId)) continue;
      const tenantId = job.tenantId as TenantId;
      const [row] = await this.db.run(tenantId, (em) =>
        em.query(`SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`, [tenantId, job.deliveryId]),
      );
      // Settled since (delivered, dead or removed): the delivery row says how; the job would only be read again each sweep.
      if (!row) {
        await job.remove().catch(() => undefined);
        continue;
      }
      const moved = await job.retry().then(() => true, () => false);
      if (moved) requeued++;
    }
    return requeued;
  }

  /** The delivery to post now, or null when it is no longer pending (delivered, dead, or removed). */
  async forSending(tenantId: TenantId, deliveryId: string): Promise<WebhookToSend | null> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT d.*, e.url, e.secret_encrypted FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
          WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'pending'`,
        [tenantId, deliveryId],
      ),
    );
    if (!row) return null;
    return {
      delivery: webhookDeliveryFromRow(row),
      url: row.url,
      body: JSON.stringify(row.payload),
      secret: this.endpoints.revealSecret(tenantId, row.endpoint_id, row.secret_encrypted),
    };
  }

  /** Records a try: delivered on a 2xx; otherwise still pending, or dead on the final try. Returns the new status. */
  async recordAttempt(tenantId: TenantId, deliveryId: string, attempt: WebhookAttempt): Promise<WebhookDeliveryStatus> {
    const status: WebhookDeliveryStatus = attempt.ok ? 'delivered' : attempt.final ? 'dead' : 'pending';
    await this.db.run(tenantId, (em) =>
      em.query(
        `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, last_status = $4, last_error = $5, updated_at = now(),
                delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END
          WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
        [tenantId, deliveryId, status, attempt.status, attempt.ok ? null : attempt.error.slice(0, 500)],
      ),
    );
    return status;
  }

  /** Sends a dead delivery again with a fresh set of tries. */
  async replay(tenantId: TenantId, deliveryId: string, actor: string): Promise<WebhookDelivery> {
    if (!isUuid(deliveryId)) throw new WebhookException('invalid-input', 'deliveryId must be a UUID', 'deliveryId');
    const delivery = await this.db.run(tenantId, async (em) => {
      const [row] = await em.query(`SELECT status FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, deliveryId]);
      if (!row) throw new WebhookException('not-found', `webhook delivery ${deliveryId} not found`, 'deliveryId');
      if (row.status !== 'dead') throw new WebhookException('invalid-state', `webhook delivery ${deliveryId} is ${row.status}; only a dead one can be replayed`, 'deliveryId');
      const [rows] = await em.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, replays = replays + 1, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [tenantId, deliveryId],
      );
      await audit(em, tenantId, { actor, action: 'webhook-delivery.replay', targetType: 'webhook-delivery', targetId: deliveryId });
      return webhookDeliveryFromRow(rows[0]);
    });
    await this.jobs.enqueue(tenantId, delivery.id, delivery.replays);
    return delivery;
  }

  async list(tenantId: TenantId, filter: { status?: WebhookDeliveryStatus; limit?: number } = {}): Promise<WebhookDelivery[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = await this.db.run(tenantId, (em) =>
      filter.status
        ? em.query(`SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND status = $2 ORDER BY created_at DESC, id LIMIT $3`, [tenantId, filter.status, limit])
        : em.query(`SELECT * FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [tenantId, limit]),
    );
    return rows.map(webhookDeliveryFromRow);
  }
}
