import { z } from 'zod';
import { TwilioError } from '../rest/twilio-error';

/** Twilio's error codes for the statuses a fault usually takes. */
const DEFAULT_CODES: Record<number, number> = { 429: 20429, 500: 20500, 502: 20500, 503: 20503, 504: 20504 };

export const faultInputSchema = z
  .object({
    /** The HTTP status the REST API answers with. */
    status: z.number().int().min(400).max(599),
    /** Twilio's error code in the body; by default 20429 for 429, 20500 for 500, 20503 for 503. */
    code: z.number().int().positive().optional(),
    message: z.string().min(1).max(500).optional(),
    /** Share of matching requests that get the fault (0..1], drawn per request. */
    ratio: z.number().gt(0).max(1).default(1),
    /** With `ratio` below 1: a seed for the draws, so a run can be repeated exactly. */
    seed: z.number().int().optional(),
    /** How long the fault lasts from now; for ever (until removed or reset) when absent. */
    forMs: z.number().int().positive().max(3_600_000).optional(),
    /** At most this many faulted answers, then the fault ends. */
    times: z.number().int().positive().optional(),
    /** A regular expression over the path after /2010-04-01/Accounts/{AccountSid}, e.g. "^/Calls\\.json$". */
    path: z.string().min(1).max(200).default('.*'),
    method: z.enum(['GET', 'POST', 'DELETE', 'ANY']).default('POST'),
    /** Only this account's requests; every account's when absent. */
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/).optional(),
    /** Sent as Retry-After (seconds) with the error. */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    /**
     * refused: nothing happens, as when Twilio turns the request away. accepted: the request takes effect (the call is
     * placed, the message sent) and the answer is the error anyway, as when Twilio's edge fails after the work was done.
     */
    effect: z.enum(['refused', 'accepted']).default('refused'),
  })
  .superRefine((input, ctx) => {
    try {
      new RegExp(input.path);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `not a regular expression: ${(error as Error).message}` });
    }
  });

export type FaultInput = z.infer<typeof faultInputSchema>;

export interface Fault extends FaultInput {
  id: string;
  createdAt: string;
  /** When it stops, if `forMs` was given. */
  until: string | null;
  /** Requests it matched, and how many of them it answered with the error. */
  matched: number;
  hits: number;
}

/** What a matching request gets: the error, with the Retry-After seconds and whether the request still takes effect. */
export interface FaultVerdict {
  faultId: string;
  error: TwilioError;
  retryAfterSeconds?: number;
  effect: 'refused' | 'accepted';
}

/** mulberry32: a small seeded generator, so a seeded fault faults the same requests on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Active {
  fault: Fault;
  pattern: RegExp;
  until: number;
  draw: () => number;
}

/** Faults the simulator's REST API answers with for a while: 500 and 429 storms for tests and benches (POST /sim/faults). */
export class FaultInjector {
  private readonly active = new Map<string, Active>();
  private next = 1;

  constructor(private readonly now: () => number = Date.now) {}

  add(input: FaultInput): Fault {
    const createdAt = this.now();
    const until = input.forMs === undefined ? Number.POSITIVE_INFINITY : createdAt + input.forMs;
    const fault: Fault = {
      ...input,
      id: `fault-${this.next++}`,
      createdAt: new Date(createdAt).toISOString(),
      until: Number.isFinite(until) ? new Date(until).toISOString() : null,
      matched: 0,
      hits: 0,
    };
    this.active.set(fault.id, { fault, pattern: new RegExp(input.path), until, draw: input.seed === undefined ? Math.random : seeded(input.seed) });
    return fault;
  }

  list(): Fault[] {
    return [...this.active.values()].map(({ fault, until }) => ({ ...fault, ...(until <= this.now() ? { expired: true } : {}) }));
  }

  remove(id: string): boolean {
    return this.active.delete(id);
  }

  clear(): void {
    this.active.clear();
  }

  /** The fault a REST request meets, if any: the first active one whose method, path and account match and whose draw hits. */
  match(method: string, path: string, accountSid: string | undefined): FaultVerdict | undefined {
    const now = this.now();
    for (const entry of this.active.values()) {
      const { fault } = entry;
      if (entry.until <= now || (fault.times !== undefined && fault.hits >= fault.times)) continue;
      if (fault.method !== 'ANY' && fault.method !== method.toUpperCase()) continue;
      if (fault.accountSid !== undefined && fault.accountSid !== accountSid) continue;
      if (!entry.pattern.test(path)) continue;
      fault.matched++;
      if (fault.ratio < 1 && entry.draw() >= fault.ratio) continue;
      fault.hits++;
      const code = fault.code ?? DEFAULT_CODES[fault.status] ?? 20500;
      const message = fault.message ?? (fault.status === 429 ? 'Too Many Requests' : `Simulated fault ${fault.id}: ${fault.status}`);
      return { faultId: fault.id, error: new TwilioError(fault.status, code, message), retryAfterSeconds: fault.retryAfterSeconds, effect: fault.effect };
    }
    return undefined;
  }
}

const injectors = new WeakMap<object, FaultInjector>();

/** The injector of one simulator (keyed by its shared dependencies object, which the REST API and the control API both get). */
export function faultInjectorOf(deps: object): FaultInjector {
  let injector = injectors.get(deps);
  if (!injector) {
    injector = new FaultInjector();
    injectors.set(deps, injector);
  }
  return injector;
}
