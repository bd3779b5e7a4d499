import { openFeedCount, pollingFeed } from '../polling-feed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a polling feed', () => {
  it('yields the first value at once, then only values that changed', async () => {
    const values = [1, 1, 2, 2, 2, 3];
    let reads = 0;
    const feed = pollingFeed({ n: 0 }, async () => ({ n: values[Math.min(reads++, values.length - 1)] }), 5);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await feed.next()).value);
    expect(seen).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
    expect(reads).toBe(6);
    await feed.return!();
  });

  it('stops reading at once when returned, even while waiting for its next read', async () => {
    const before = openFeedCount();
    let reads = 0;
    const feed = pollingFeed('same', async () => (reads++, 'same'), 5);
    await feed.next();
    const waiting = feed.next();
    expect(openFeedCount()).toBe(before + 1);
    await sleep(30);
    await feed.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    const readsAtStop = reads;
    await sleep(30);
    expect(reads).toBe(readsAtStop);
    expect(openFeedCount()).toBe(before);
    expect(await feed.next()).toEqual({ value: undefined, done: true });
  });

  it('ends with the error of a failing read', async () => {
    const before = openFeedCount();
    const feed = pollingFeed(1, async () => { throw new Error('database gone'); }, 5);
    await feed.next();
    await expect(feed.next()).rejects.toThrow('database gone');
    expect(openFeedCount()).toBe(before);
  });
});
