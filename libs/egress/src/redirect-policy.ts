import type { AddressPolicy } from './address-policy';
import { checkTargetUrl } from './target-url';

/** One request of a redirect chain. */
export interface Hop {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export type RedirectDecision = { kind: 'follow'; hop: Hop } | { kind: 'refuse'; reason: string };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language']);

/** Whether a response with this status and Location is a redirect to follow. */
export function isRedirect(status: number, location: string | undefined): location is string {
  return REDIRECT_STATUSES.has(status) && location !== undefined && location !== '';
}

/**
 * The request that follows a redirect, re-checked like the first one. Rules are fetch's: 303, and
 * 301/302 after a POST, become a GET without body; 307/308 keep method and body; credentials are
 * not carried to another origin. An https -> http downgrade is refused.
 */
export function nextHop(current: Hop, status: number, location: string, policy: AddressPolicy): RedirectDecision {
  const from = current.url.origin;
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    return { kind: 'refuse', reason: `redirect from ${from} has an invalid Location header` };
  }
  const check = checkTargetUrl(target, policy);
  if (!check.ok) return { kind: 'refuse', reason: `redirect from ${from} refused: ${check.reason}` };
  if (current.url.protocol === 'https:' && target.protocol === 'http:') {
    return { kind: 'refuse', reason: `redirect from ${from} to ${target.origin} refused: https to http downgrade` };
  }

  const becomesGet = status === 303 || ((status === 301 || status === 302) && current.method === 'POST');
  const crossOrigin = target.origin !== current.url.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(current.headers)) {
    const lower = name.toLowerCase();
    if (crossOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
    if (becomesGet && BODY_HEADERS.has(lower)) continue;
    headers[name] = value;
  }
  const hop: Hop = becomesGet
    ? { method: 'GET', url: target, headers }
    : { method: current.method, url: target, headers, body: current.body };
  return { kind: 'follow', hop };
}
