import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** The client's address as Fastify's trustProxy reads it; a forged X-Forwarded-For that is no address falls back to the peer. */
export function clientIp(request: FastifyRequest): string {
  if (isIP(request.ip)) return request.ip;
  const peer = request.socket.remoteAddress;
  return peer && isIP(peer) ? peer : '0.0.0.0';
}
