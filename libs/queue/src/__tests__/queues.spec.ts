import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ClsServiceManager } from 'nestjs-cls';
import { createQueue, createWorker, JOB_QUEUES, JobIdError, jobId, JobName, queuePrefix, QueueName } from '@ringflow/queue';

const TENANT = '6c1f4c1e-3b1a-4a57-9d0e-1d2a3b4c5d6e';

describe('libs/queue', () => {
  it('builds deterministic job ids without ":" and refuses parts BullMQ would reject', () => {
    expect(jobId('dial', TENANT, 'c1', 2)).toBe(`dial_${TENANT}_c1_2`);
    expect(jobId('dial', TENANT, 'c1', 2)).toBe(jobId('dial', TENANT, 'c1', 2));
    expect(() => jobId('dial', 'a:b')).toThrow(new JobIdError('job id part "a:b" of dial may hold only letters, digits, ".", "-" and "_"'));
    expect(() => jobId('123')).toThrow(JobIdError);
  });

  it('maps every job to a queue', () => {
    for (const name of Object.values(JobName)) expect(Object.values(QueueName)).toContain(JOB_QUEUES[name]);
  });

  it('wraps the shared prefix in a hash tag and rejects odd namespaces', () => {
    expect(queuePrefix()).toBe('{ringflow}');
    expect(() => queuePrefix('a:b')).toThrow('queue namespace "a:b" may hold only a-z, 0-9 and "-"');
  });

  describe('against Redis', () => {
    const namespace = `test-queue-${randomBytes(4).toString('hex')}`;
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    afterAll(async () => {
      const keys = await redis.keys(`{${namespace}}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });

    it('adds a job with the same id once, keeps every key under the hash-tagged prefix, and runs it', async () => {
      const queue = createQueue(JobName.DialContact, { connection: redis, namespace });
      const data = { tenantId: TENANT, campaignId: 'c', contactId: 'k', attempt: 1 };
      const id = jobId('dial', TENANT, 'c', 'k', 1);
      await queue.add(JobName.DialContact, data, { jobId: id });
      await queue.add(JobName.DialContact, data, { jobId: id });
      expect(await queue.getJobCounts('wait')).toEqual({ wait: 1 });
      const keys = await redis.keys('*' + namespace + '*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.startsWith(`{${namespace}}:dials:`))).toBe(true);

      const seen: unknown[] = [];
      const worker = createWorker<JobName.DialContact>(QueueName.Dials, async (job) => void seen.push(job.data), { connection: redis, namespace });
      await new Promise((resolve) => worker.once('completed', resolve));
      await worker.close();
      await queue.close();
      expect(seen).toEqual([data]);
    });

    it("runs each job in an async context holding the job's tenant (log lines and egress pools go by it)", async () => {
      const queue = createQueue(JobName.DeliverWebhook, { connection: redis, namespace });
      const other = '22222222-2222-4222-8222-222222222222';
      await queue.add(JobName.DeliverWebhook, { tenantId: TENANT, deliveryId: '1' });
      await queue.add(JobName.DeliverWebhook, { tenantId: other, deliveryId: '2' });
      const cls = ClsServiceManager.getClsService();
      const seen: Array<[string, unknown]> = [];
      const worker = createWorker<JobName.DeliverWebhook>(QueueName.Webhooks, async (job) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push([job.data.deliveryId, cls.get('tenantId')]);
      }, { connection: redis, namespace, concurrency: 2 });
      while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await worker.close();
      await queue.close();
      expect(new Map(seen)).toEqual(new Map([['1', TENANT], ['2', other]]));
      expect(cls.isActive()).toBe(false);
    });

    it('refuses a worker connection that would fail BullMQ blocking commands', () => {
      const plain = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
      expect(() => createWorker(QueueName.Dials, async () => undefined, { connection: plain, namespace })).toThrow(/maxRetriesPerRequest: null/);
      plain.disconnect();
    });
  });
});
