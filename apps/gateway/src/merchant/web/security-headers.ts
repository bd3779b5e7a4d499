import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Headers on every merchant page: no script at all, styles only by hash, never framed, never cached. */
export function applySecurityHeaders(reply: FastifyReply, options: { css: string; hsts: boolean }): void {
  const styleHash = createHash('sha256').update(options.css).digest('base64');
  reply
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Cross-Origin-Resource-Policy', 'same-origin')
    .header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    .header('Cache-Control', 'no-store');
  if (options.hsts) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
