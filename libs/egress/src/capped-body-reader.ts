import type { Readable } from 'node:stream';

/** A body read in full, or why reading stopped. */
export type CappedBody = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads a response body as UTF-8, stopping as soon as it passes `maxBytes`: the stream is then
 * destroyed, which aborts the download and closes the connection, so nothing past the cap is buffered.
 */
export async function readCappedBody(
  body: Readable,
  maxBytes: number,
  declaredLength: string | undefined,
  origin: string,
): Promise<CappedBody> {
  const tooLarge = (size: string) =>
    `response body from ${origin} is ${size}, over the limit of ${maxBytes} bytes; download aborted`;
  const declared = declaredLength === undefined ? NaN : Number(declaredLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abortBody(body);
    return { ok: false, reason: tooLarge(`${declared} bytes (Content-Length)`) };
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    received += buffer.length;
    if (received > maxBytes) {
      abortBody(body);
      return { ok: false, reason: tooLarge(`more than ${maxBytes} bytes`) };
    }
    chunks.push(buffer);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** Stops a download: destroying the stream closes its connection; the abort error it emits is expected. */
export function abortBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
