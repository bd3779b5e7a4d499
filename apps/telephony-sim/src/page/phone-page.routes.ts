import type { FastifyInstance } from 'fastify';
import { PHONE_PAGE_HTML } from './phone-page.html';

/** Serves the phone page for a person at GET /phone (and / points there). */
export function registerPhonePage(app: FastifyInstance): void {
  app.get('/phone', async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(PHONE_PAGE_HTML));
  app.get('/', async (_req, reply) => reply.redirect('/phone'));
}
