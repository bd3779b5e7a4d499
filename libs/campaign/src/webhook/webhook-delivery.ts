import type { WebhookEventType } from './webhook-event';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One event for one endpoint, with its tries: pending until a 2xx, dead after the last try (replayable). */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventType: WebhookEventType;
  eventKey: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  replays: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export function webhookDeliveryFromRow(row: Record<string, unknown>): WebhookDelivery {
  return {
    id: row.id as string,
    endpointId: row.endpoint_id as string,
    eventType: row.event_type as WebhookEventType,
    eventKey: row.event_key as string,
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts as number,
    replays: row.replays as number,
    lastStatus: (row.last_status as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    createdAt: row.created_at as Date,
    deliveredAt: (row.delivered_at as Date | null) ?? null,
  };
}
