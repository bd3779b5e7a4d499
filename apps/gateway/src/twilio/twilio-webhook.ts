import twilio from 'twilio';

/** A Twilio webhook as received: the public URL it was sent to, its signature and its form fields. */
export interface TwilioWebhook {
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

interface RequestLike {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Form fields as strings (a repeated field keeps its first value). */
export function formParams(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

/** Twilio signs the URL it called, as configured: PUBLIC_BASE_URL plus the path and query this app received. */
export function twilioWebhookOf(request: RequestLike, publicBaseUrl: string): TwilioWebhook {
  const header = request.headers['x-twilio-signature'];
  return {
    url: `${publicBaseUrl}${request.url}`,
    signature: Array.isArray(header) ? header[0] : header,
    params: formParams(request.body),
  };
}

/** Checks `X-Twilio-Signature` with the tenant's auth token (the SDK also tries the URL with and without its port). */
export function isSignedBy(authToken: string, webhook: TwilioWebhook): boolean {
  if (!webhook.signature) return false;
  return twilio.validateRequest(authToken, webhook.signature, webhook.url, webhook.params);
}

export const CALL_SID = /^CA[0-9a-f]{32}$/;
