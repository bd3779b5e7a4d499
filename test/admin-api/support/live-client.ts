import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveError {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** A graphql-ws client of the admin API, as a browser dashboard would open one (no retries, so refusals show). */
export function liveClient(httpUrl: string, key: string | undefined): { client: Client; closes: { code: number; reason: string }[] } {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    on: { closed: (event) => void closes.push({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
  });
  return { client, closes };
}

/** One subscription's events as they arrive; `until` waits for the one a test expects. */
export function watch<T = Record<string, any>>(client: Client, query: string, variables?: Record<string, unknown>) {
  const events: T[] = [];
  const errors: LiveError[] = [];
  let failure: unknown;
  let completed = false;
  const stop = client.subscribe<T>({ query, variables }, {
    next: (result) => {
      if (result.data) events.push(result.data as T);
      if (result.errors) errors.push(...(result.errors as LiveError[]));
    },
    error: (error) => {
      if (Array.isArray(error)) errors.push(...(error as LiveError[]));
      else failure = error;
    },
    complete: () => void (completed = true),
  });

  async function until(what: string, seen: () => boolean, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!seen()) {
      if (Date.now() > deadline) throw new Error(`${what}: not seen in ${timeoutMs} ms; events ${JSON.stringify(events)}, errors ${JSON.stringify(errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  return {
    events,
    errors,
    get failure() { return failure; },
    get completed() { return completed; },
    /** The first event from index `from` on that matches (waiting for it). */
    next: async (what: string, match: (event: T) => boolean, from = 0): Promise<T> => {
      await until(what, () => events.slice(from).some(match));
      return events.slice(from).find(match)!;
    },
    ended: (timeoutMs?: number) => until('the end of the subscription', () => completed || errors.length > 0 || failure !== undefined, timeoutMs),
    stop,
  };
}
