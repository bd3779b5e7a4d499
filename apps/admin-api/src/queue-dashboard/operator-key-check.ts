import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The key a request to the queue dashboard carries: `Authorization: Bearer <key>`, or Basic auth with the key
 * as the password (any user name) — a browser can only send the latter, after a 401 with `WWW-Authenticate: Basic`.
 */
export function presentedKey(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!value) return null;
  if (/^bearer$/i.test(scheme)) return value;
  if (!/^basic$/i.test(scheme)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

/** True when `presented` is the operator key; compared in constant time (digests of equal length). */
export function isOperatorKey(presented: string | null, operatorKey: string): boolean {
  if (presented === null || !operatorKey) return false;
  return timingSafeEqual(digest(presented), digest(operatorKey));
}
