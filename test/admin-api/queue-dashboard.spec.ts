import { QueueName } from '@ringflow/queue';
import { startAdminApi } from '../support/admin-api-harness';

describe('the queue dashboard (/admin/queues)', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  beforeAll(async () => {
    api = await startAdminApi();
  });
  afterAll(() => api.close());

  const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

  it('asks for the operator key: 401 with a Basic challenge without it, with a wrong one, or with a tenant admin key', async () => {
    const tenant = await api.tenantWithAdmin('Dash Co');
    for (const authorization of [undefined, 'Bearer nope', basic('nope'), `Bearer ${tenant.adminKey}`]) {
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const res = await fetch(`${api.url}${path}`, { headers: authorization ? { authorization } : {} });
        expect([path, authorization, res.status]).toEqual([path, authorization, 401]);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="Ringflow queues"/);
        expect(await res.text()).not.toMatch(/campaign-sms|dials/);
      }
    }
  });

  it('serves the board to the operator (Bearer, or as the Basic password in a browser) and lists every queue of the platform', async () => {
    const page = await fetch(`${api.url}/admin/queues`, { headers: { authorization: basic(api.operatorKey) } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/Ringflow queues/);

    const res = await fetch(`${api.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${api.operatorKey}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(body.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['dials', 'sms', 'campaign-sms']));
  });
});
