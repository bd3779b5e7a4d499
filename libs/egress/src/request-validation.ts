import type { HttpPortRequest } from '@ringflow/flow';

// Framing and routing headers come from the URL and the body; a flow may not set them.
const FORBIDDEN_HEADERS = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te',
  'trailer', 'proxy-connection',
]);

// setTimeout fires at once beyond this.
const MAX_TIMER_MS = 2_147_483_647;

/** Why a request cannot be sent as given, or null when it is well formed. */
export function invalidRequestReason(req: HttpPortRequest): string | null {
  if (req.method !== 'GET' && req.method !== 'POST') return `method ${String(req.method)} is not supported (GET or POST)`;
  if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0 || req.timeoutMs > MAX_TIMER_MS) {
    return `timeoutMs must be a positive number of milliseconds up to ${MAX_TIMER_MS}, got ${req.timeoutMs}`;
  }
  if (!Number.isInteger(req.maxResponseBytes) || req.maxResponseBytes < 0) {
    return `maxResponseBytes must be a non-negative integer, got ${req.maxResponseBytes}`;
  }
  const forbidden = Object.keys(req.headers ?? {}).find((name) => FORBIDDEN_HEADERS.has(name.toLowerCase()));
  if (forbidden !== undefined) return `header ${forbidden} may not be set by a flow (it is derived from the URL and body)`;
  return null;
}
