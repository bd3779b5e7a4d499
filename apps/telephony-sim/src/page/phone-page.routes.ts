import type { FastifyInstance } from 'fastify';

/** The phone page for a person: placeholder until the page is built. */
export function registerPhonePage(_app: FastifyInstance): void {}
