import type { WebhookEventType } from './webhook-event';

/** A tenant's webhook endpoint as admins see it: never the secret (shown once, at creation). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: Date;
}

export function webhookEndpointFromRow(row: Record<string, unknown>): WebhookEndpoint {
  return { id: row.id as string, url: row.url as string, events: row.events as WebhookEventType[], enabled: row.enabled as boolean, createdAt: row.created_at as Date };
}
