/** How often a live feed reads its source again. */
export const FEED_POLL_MS = 1000;

let openFeeds = 0;

/** Feeds currently open in this process (each one polls until its subscription ends). */
export function openFeedCount(): number {
  return openFeeds;
}

/**
 * A subscription's event stream: `first` at once, then `read()` every `intervalMs`, yielding a value only
 * when it differs from the last one yielded (compared as JSON). `return()` (the client completes, or the
 * connection closes) stops the timer at once. A failing read ends the stream with that error.
 */
export function pollingFeed<T>(first: T, read: () => Promise<T>, intervalMs = FEED_POLL_MS): AsyncIterableIterator<T> {
  let last = JSON.stringify(first);
  let pendingFirst = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  openFeeds++;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    openFeeds--;
    clearTimeout(timer);
    wake?.();
  };
  const pause = () => new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, intervalMs);
  });
  const done = (): IteratorResult<T> => ({ value: undefined, done: true });

  const feed: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      if (pendingFirst && !stopped) {
        pendingFirst = false;
        return { value: first, done: false };
      }
      while (!stopped) {
        await pause();
        if (stopped) break;
        let value: T;
        try {
          value = await read();
        } catch (error) {
          stop();
          throw error;
        }
        const key = JSON.stringify(value);
        if (key !== last && !stopped) {
          last = key;
          return { value, done: false };
        }
      }
      return done();
    },
    async return(): Promise<IteratorResult<T>> {
      stop();
      return done();
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return feed;
    },
  };
  return feed;
}
