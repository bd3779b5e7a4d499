import type { HeardAction } from './party-script';
import type { TranscriptEventInput } from './transcript';

/** The outside system's requests a caller's script ties to phrases; each fires once, when first heard. */
export class HeardActions {
  private readonly fired = new Set<number>();

  constructor(
    private readonly actions: readonly HeardAction[],
    private readonly warn: (message: string) => void,
  ) {}

  /** Makes the requests whose phrase is in `text`, in order, and says how each went. */
  async fire(text: string): Promise<TranscriptEventInput[]> {
    const done: TranscriptEventInput[] = [];
    for (const [i, action] of this.actions.entries()) {
      if (this.fired.has(i) || !text.toLowerCase().includes(action.heard.toLowerCase())) continue;
      this.fired.add(i);
      const { method, url, headers, body } = action.request;
      let httpStatus: number | null = null;
      try {
        const res = await fetch(url, {
          method,
          headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        httpStatus = res.status;
      } catch (err) {
        this.warn(`outside-system request ${method} ${url} failed: ${(err as Error).message}`);
      }
      done.push({ kind: 'action', request: `${method} ${url}`, httpStatus });
    }
    return done;
  }
}
