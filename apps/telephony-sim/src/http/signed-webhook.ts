import { randomUUID } from 'node:crypto';
import twilio from 'twilio';

export interface WebhookRequest {
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  authToken: string;
}

export interface WebhookResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Twilio gives up on a webhook after 15 seconds. */
const TIMEOUT_MS = 15_000;

/**
 * Calls a webhook as Twilio does: form-encoded POST (or GET with the parameters in the query),
 * `X-Twilio-Signature` computed over the full URL it requests (plus the POST parameters)
 * with the account's auth token.
 */
export async function callWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  let url = req.url;
  let body: string | undefined;
  let signed: Record<string, string> = req.params;
  if (req.method === 'GET') {
    const u = new URL(req.url);
    for (const [k, v] of Object.entries(req.params)) u.searchParams.append(k, v);
    url = u.toString();
    signed = {};
  } else {
    body = new URLSearchParams(req.params).toString();
  }
  const signature = twilio.getExpectedTwilioSignature(req.authToken, url, signed);
  const res = await fetch(url, {
    method: req.method,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': randomUUID(),
      accept: '*/*',
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** A webhook whose answer does not matter (status callbacks): failures are logged, never thrown. */
export async function notifyWebhook(req: WebhookRequest, onError: (message: string) => void): Promise<void> {
  try {
    const res = await callWebhook(req);
    if (res.status >= 400) onError(`${req.method} ${req.url} answered ${res.status}`);
  } catch (err) {
    onError(`${req.method} ${req.url} failed: ${(err as Error).message}`);
  }
}
