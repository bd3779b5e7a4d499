import { randomBytes, randomUUID } from 'node:crypto';
import { audit, isUuid, type SecretsCipher, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { type WebhookEndpoint, webhookEndpointFromRow } from './webhook-endpoint';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event';
import { WebhookException } from './webhook.exception';

export interface CreateWebhookEndpointCommand {
  /** http(s) URL; whether its address may be reached is checked at each delivery (SSRF guard). */
  url: string;
  events: string[];
}

/** Binds a sealed secret to its endpoint: a ciphertext copied to another endpoint or tenant fails to open. */
export const webhookSecretPurpose = (endpointId: string) => `webhook-endpoint.secret/${endpointId}`;

/** Where a tenant's webhooks go. The signing secret is sealed at rest (it must be usable to sign, so not hashed). */
export class WebhookEndpointsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly cipher: SecretsCipher,
  ) {}

  /** Creates an endpoint; the answer carries its signing secret, shown this once. */
  async create(tenantId: TenantId, command: CreateWebhookEndpointCommand, actor: string): Promise<WebhookEndpoint & { secret: string }> {
    const url = checkedUrl(command.url);
    const events = checkedEvents(command.events);
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.cipher.encrypt(secret, { tenantId, purpose: webhookSecretPurpose(id) });
    const endpoint = await this.db.run(tenantId, async (em) => {
      const [row] = await em.query(
        `INSERT INTO webhook_endpoints (tenant_id, id, url, secret_encrypted, events) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [tenantId, id, url, sealed, events],
      );
      await audit(em, tenantId, { actor, action: 'webhook-endpoint.create', targetType: 'webhook-endpoint', targetId: id, details: { url, events } });
      return webhookEndpointFromRow(row);
    });
    return { ...endpoint, secret };
  }

  async list(tenantId: TenantId): Promise<WebhookEndpoint[]> {
    const rows = await this.db.run(tenantId, (em) => em.query(`SELECT * FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]));
    return rows.map(webhookEndpointFromRow);
  }

  /** Removes an endpoint and its delivery history. */
  async remove(tenantId: TenantId, id: string, actor: string): Promise<void> {
    if (!isUuid(id)) throw new WebhookException('invalid-input', 'id must be a UUID', 'id');
    await this.db.run(tenantId, async (em) => {
      const [, count] = await em.query(`DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
      if (!count) throw new WebhookException('not-found', `webhook endpoint ${id} not found`, 'id');
      await audit(em, tenantId, { actor, action: 'webhook-endpoint.remove', targetType: 'webhook-endpoint', targetId: id });
    });
  }

  /** Pauses or resumes an endpoint: a disabled one gets no new deliveries (those already made still run). */
  async setEnabled(tenantId: TenantId, id: string, enabled: boolean, actor: string): Promise<WebhookEndpoint> {
    if (!isUuid(id)) throw new WebhookException('invalid-input', 'id must be a UUID', 'id');
    return this.db.run(tenantId, async (em) => {
      const [rows] = await em.query(`UPDATE webhook_endpoints SET enabled = $3 WHERE tenant_id = $1 AND id = $2 RETURNING *`, [tenantId, id, enabled]);
      if (!rows[0]) throw new WebhookException('not-found', `webhook endpoint ${id} not found`, 'id');
      await audit(em, tenantId, { actor, action: enabled ? 'webhook-endpoint.enable' : 'webhook-endpoint.disable', targetType: 'webhook-endpoint', targetId: id });
      return webhookEndpointFromRow(rows[0]);
    });
  }

  /** The signing secret in clear, for the delivery worker only (memory only). */
  revealSecret(tenantId: TenantId, endpointId: string, sealed: string): string {
    return this.cipher.decrypt(sealed, { tenantId, purpose: webhookSecretPurpose(endpointId) });
  }
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookException('invalid-input', 'url must be an absolute http(s) URL', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookException('invalid-input', 'url must use https or http', 'url');
  if (url.username || url.password) throw new WebhookException('invalid-input', 'url must not carry credentials', 'url');
  if (url.href.length > 2000) throw new WebhookException('invalid-input', 'url must be at most 2000 characters', 'url');
  return url.href;
}

function checkedEvents(events: string[]): WebhookEventType[] {
  if (!Array.isArray(events) || events.length === 0) throw new WebhookException('invalid-input', `events must list at least one of ${WEBHOOK_EVENT_TYPES.join(', ')}`, 'events');
  const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length) throw new WebhookException('invalid-input', `unknown event type(s) ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`, 'events');
  return [...new Set(events)] as WebhookEventType[];
}
