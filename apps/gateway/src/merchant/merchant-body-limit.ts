import type { IncomingMessage, ServerResponse } from 'node:http';

/** A serial, an amount and a key fit in far less; the gateway's own limit stops chunked bodies at 64 KB. */
export const MERCHANT_BODY_LIMIT = 4 * 1024;

/** Refuses a declared body over MERCHANT_BODY_LIMIT with 413 before it is read. */
export function merchantBodyLimit(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared > MERCHANT_BODY_LIMIT)) return next();
  res.statusCode = 413;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: { code: 'too-large', message: `the body may be at most ${MERCHANT_BODY_LIMIT} bytes` } }));
}
