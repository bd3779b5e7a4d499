import { UnrecoverableError, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { verifyWebhookSignature, WebhookJobs, type WebhookEvent } from '@ringflow/campaign';
import { REDIS } from '@ringflow/database';
import { RedemptionWorkers } from '../../apps/worker-redemptions/src/redemption-workers.service';
import { redemptionsHarness, type RedemptionsHarness } from './support/redemptions-harness';
import { WebhookReceiver } from './support/webhook-receiver';

let h: RedemptionsHarness;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  h = await redemptionsHarness();
});

afterAll(async () => {
  await h?.close();
  await Promise.all(receivers.map((r) => r.stop()));
});

async function receiver(answer?: (req: unknown, index: number) => number): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver(answer).start();
  receivers.push(r);
  return r;
}

async function deliveryOf(tenantId: Parameters<RedemptionsHarness['deliveries']['list']>[0]) {
  const [delivery] = await h.deliveries.list(tenantId);
  return delivery;
}

describe('tenant webhooks (worker-redemptions)', () => {
  it('posts a coupon.redeemed event that the receiver can verify with its secret, to that tenant only', async () => {
    const t = await h.tenant('Signed');
    const other = await h.tenant('Other');
    const endpoint = await receiver();
    const otherEndpoint = await receiver();
    const { secret } = await h.endpoints.create(t.tenantId, { url: `${endpoint.url}/hooks/ringflow`, events: ['coupon.redeemed'] }, 'admin');
    await h.endpoints.create(other.tenantId, { url: otherEndpoint.url, events: ['coupon.redeemed'] }, 'admin');

    const { coupon, eventId } = await h.redeemed(t, '20.00');
    await h.waitFor('the webhook', () => endpoint.received.length === 1);

    const [post] = endpoint.received;
    expect(post.path).toBe('/hooks/ringflow');
    expect(post.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(secret, post.headers['x-ringflow-signature'] as string, post.body)).toBe(true);
    expect(verifyWebhookSignature(`${secret}x`, post.headers['x-ringflow-signature'] as string, post.body)).toBe(false);
    expect(verifyWebhookSignature(secret, post.headers['x-ringflow-signature'] as string, post.body.replace('20.00', '2000.00'))).toBe(false);
    const event = JSON.parse(post.body) as WebhookEvent;
    expect(event).toMatchObject({
      id: `coupon.redeemed-${eventId}`,
      type: 'coupon.redeemed',
      tenantId: t.tenantId,
      data: { couponId: coupon.id, promotionId: t.promotionId, merchantId: t.merchantId, orderAmount: '20.00', campaignId: null },
    });
    expect(post.body).not.toContain(coupon.phone);
    expect(post.body).not.toContain(coupon.serial);
    await h.waitFor('the delivery to be recorded', async () => (await deliveryOf(t.tenantId))?.status === 'delivered');
    expect(otherEndpoint.received).toHaveLength(0);
  });

  it('retries a receiver that fails its first tries until it answers 2xx', async () => {
    const t = await h.tenant('Flaky');
    const endpoint = await receiver((_req, index) => (index < 2 ? 503 : 204));
    await h.endpoints.create(t.tenantId, { url: endpoint.url, events: ['coupon.redeemed'] }, 'admin');

    await h.redeemed(t, '5.00');
    await h.waitFor('the delivery to succeed', async () => (await deliveryOf(t.tenantId))?.status === 'delivered');

    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    expect(await deliveryOf(t.tenantId)).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 204, lastError: null });
  });

  it('dead-letters a delivery after its last try, and a replay delivers it', async () => {
    const t = await h.tenant('Dead letter');
    const endpoint = await receiver(() => 500);
    await h.endpoints.create(t.tenantId, { url: endpoint.url, events: ['coupon.redeemed'] }, 'admin');

    await h.redeemed(t, '7.25');
    await h.waitFor('the delivery to die', async () => (await deliveryOf(t.tenantId))?.status === 'dead');
    const dead = await deliveryOf(t.tenantId);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, lastStatus: 500, lastError: 'HTTP status 500' });
    expect(endpoint.received).toHaveLength(3);

    endpoint.answerWith(() => 200);
    expect(await h.deliveries.replay(t.tenantId, dead.id, 'admin')).toMatchObject({ status: 'pending', replays: 1, attempts: 0 });
    await h.waitFor('the replay to be delivered', async () => (await deliveryOf(t.tenantId))?.status === 'delivered');
    expect(endpoint.received).toHaveLength(4);
    expect(JSON.parse(endpoint.received[3].body).id).toBe(JSON.parse(endpoint.received[0].body).id);
    await expect(h.deliveries.replay(t.tenantId, dead.id, 'admin')).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('refuses endpoints on addresses outside the allowed ranges at delivery time', async () => {
    const t = await h.tenant('Private address');
    await h.endpoints.create(t.tenantId, { url: 'http://10.255.255.1:9/hook', events: ['coupon.redeemed'] }, 'admin');

    await h.redeemed(t, '1.00');
    await h.waitFor('the delivery to die', async () => (await deliveryOf(t.tenantId))?.status === 'dead');
    expect((await deliveryOf(t.tenantId)).lastError).toMatch(/refused/);
  });

  it('sends nothing to a disabled endpoint, and nothing once an endpoint is removed', async () => {
    const t = await h.tenant('Paused');
    const paused = await receiver();
    const removed = await receiver();
    const a = await h.endpoints.create(t.tenantId, { url: paused.url, events: ['coupon.redeemed'] }, 'admin');
    const b = await h.endpoints.create(t.tenantId, { url: removed.url, events: ['coupon.redeemed'] }, 'admin');
    expect(await h.endpoints.setEnabled(t.tenantId, a.id, false, 'admin')).toMatchObject({ id: a.id, enabled: false });
    await h.endpoints.remove(t.tenantId, b.id, 'admin');

    const { eventId } = await h.redeemed(t, '3.00');
    await h.waitFor('the event to be processed', async () => (await h.owner.query('SELECT processed_at FROM coupon_events WHERE id = $1', [eventId])).rows[0].processed_at !== null);

    expect(await h.deliveries.list(t.tenantId)).toEqual([]);
    expect([paused.received.length, removed.received.length]).toEqual([0, 0]);
    expect((await h.endpoints.list(t.tenantId)).map((e) => e.id)).toEqual([a.id]);
  });

  it('checks an endpoint when it is created', async () => {
    const t = await h.tenant('Bad endpoint');
    await expect(h.endpoints.create(t.tenantId, { url: 'ftp://example.com', events: ['coupon.redeemed'] }, 'admin')).rejects.toMatchObject({ code: 'invalid-input', field: 'url' });
    await expect(h.endpoints.create(t.tenantId, { url: 'https://example.com', events: ['coupon.expired'] }, 'admin')).rejects.toMatchObject({ code: 'invalid-input', field: 'events' });
    expect(await h.endpoints.list(t.tenantId)).toEqual([]);
  });
});

describe('webhook deliveries whose job BullMQ failed (a worker killed twice while holding it)', () => {
  let h2: RedemptionsHarness;
  let workers: RedemptionWorkers | undefined;
  beforeAll(async () => {
    h2 = await redemptionsHarness({ runWorkers: false });
  });
  afterAll(async () => {
    await workers?.close();
    await h2?.close();
  });

  /** Takes the next delivery job as a worker would, then fails it the way BullMQ's stall check does. */
  async function failAsStalled(): Promise<string> {
    const queue = h2.app.get(WebhookJobs).queue;
    const taker = new Worker(queue.name, null, { connection: h2.app.get<Redis>(REDIS), prefix: queue.opts.prefix, autorun: false });
    try {
      const job = await taker.getNextJob('dead-worker');
      if (!job) throw new Error('no delivery job was queued');
      // Failed outright whatever tries are left, as BullMQ's stall check fails it.
      await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'dead-worker', false);
      return String(job.id);
    } finally {
      await taker.close();
    }
  }

  it('puts the job back while its delivery is pending, so the tenant gets the event, and drops the failed job of a settled one without posting it', async () => {
    const t = await h2.tenant('Stalled');
    const endpoint = await receiver();
    await h2.endpoints.create(t.tenantId, { url: endpoint.url, events: ['coupon.redeemed'] }, 'admin');
    const stranded = await h2.redeemed(t, '3.50');
    expect(await h2.tracker.track(t.tenantId, stranded.eventId)).toMatchObject({ kind: 'tracked', webhooks: 1 });
    const strandedJob = await failAsStalled();
    const finished = await h2.redeemed(t, '4.50');
    await h2.tracker.track(t.tenantId, finished.eventId);
    const finishedJob = await failAsStalled();
    // The second one's delivery went out by other means (a replica's earlier try recorded it) before its job failed.
    await h2.owner.query(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now() WHERE payload->>'id' = $1`, [`coupon.redeemed-${finished.eventId}`]);
    expect((await h2.deliveries.list(t.tenantId, { status: 'pending' })).map((d) => d.eventKey)).toEqual([`coupon.redeemed-${stranded.eventId}`]);

    const running = h2.app.get(RedemptionWorkers);
    workers = running;
    running.start({ connection: h2.app.get<Redis>(REDIS), namespace: h2.namespace, pollMs: 100, trackConcurrency: 2, webhookConcurrency: 2, sweepMs: 100 });
    await h2.waitFor('the stranded delivery', async () => (await h2.deliveries.list(t.tenantId, { status: 'pending' })).length === 0);
    expect(endpoint.received.map((post) => JSON.parse(post.body).id)).toEqual([`coupon.redeemed-${stranded.eventId}`]);
    const queue = h2.app.get(WebhookJobs).queue;
    expect(await (await queue.getJob(strandedJob))?.getState()).toBe('completed');
    await h2.waitFor('the settled delivery\'s failed job to be dropped', async () => (await queue.getJob(finishedJob)) === undefined);
    expect(endpoint.received).toHaveLength(1);
  });
});
