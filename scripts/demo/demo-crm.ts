// The demo tenant's own systems: a small CRM and card service the demo flows call over HTTP.
// Started by `npm run demo` on DEMO_CRM_PORT (default 4020); not part of the platform.
import Fastify from 'fastify';

export const DEMO_CUSTOMERS = [
  { phone: '+14155550111', reference: '1234567', name: 'Ada Lovelace', tier: 'premium', email: 'ada@example.com', order: 'A-1001' },
  { phone: '+14155550112', reference: '7654321', name: 'Grace Hopper', tier: 'standard', email: 'grace@example.com', order: 'B-2002' },
];
export const DEMO_VIPS: Record<string, { segment: string; score: number; tags: string[] }> = {
  '+14155550121': { segment: 'vip', score: 950, tags: ['gold'] },
  '+14155550122': { segment: 'regular', score: 640, tags: [] },
};

export function buildDemoCrm() {
  const app = Fastify({ logger: false });
  const customer = (c: (typeof DEMO_CUSTOMERS)[number]) => ({
    customer: { name: c.name, tier: c.tier, email: c.email, lastOrder: { reference: c.order } },
  });

  app.get<{ Querystring: { phone?: string; reference?: string } }>('/customers', async (req, reply) => {
    const found = DEMO_CUSTOMERS.find((c) => (req.query.phone && c.phone === req.query.phone) || (req.query.reference && c.reference === req.query.reference));
    return found ? customer(found) : reply.code(404).send({ error: 'no such customer' });
  });
  app.post<{ Body: { phone?: string } }>('/segments', async (req, reply) => {
    const vip = DEMO_VIPS[req.body?.phone ?? ''];
    return vip ?? reply.code(404).send({ error: 'unknown caller' });
  });
  app.post<{ Body: { card?: string } }>('/cards/activate', async (req) => ({ activated: /^\d{16}$/.test(req.body?.card ?? '') }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

if (require.main === module) {
  const port = Number(process.env.DEMO_CRM_PORT ?? 4020);
  buildDemoCrm()
    .listen({ port, host: '127.0.0.1' })
    .then(() => console.log(JSON.stringify({ app: 'demo-crm', msg: `demo CRM listening on ${port}` })))
    .catch((error: Error) => {
      console.error(error.message);
      process.exit(1);
    });
}
