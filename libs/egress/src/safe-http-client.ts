import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, buildConnector, interceptors } from 'undici';
import type { HttpPort, HttpPortRequest, HttpPortResult } from '@ringflow/flow';
import { AddressPolicy } from './address-policy';
import { abortBody, readCappedBody } from './capped-body-reader';
import { describeEgressError } from './egress-failure-reason';
import { EgressRefusedError, createGuardedLookup, systemResolver } from './guarded-lookup';
import { PoolPartitions, tenantFromAsyncContext } from './pool-partitions';
import { type Hop, isRedirect, nextHop } from './redirect-policy';
import { SAFE_HTTP_CLIENT_DEFAULTS, type SafeHttpClientOptions, checkCountOption } from './safe-http-client.options';
import { invalidRequestReason } from './request-validation';
import { checkTargetUrl, ipLiteral } from './target-url';

// Callers' deadlines are at most 10 s; a connect that outlives its request is given up at the same bound.
const CONNECT_TIMEOUT_MS = 10_000;

/** The connection pools of one partition: an undici Agent (a pool per origin) behind the decompressing dispatcher. */
interface Pool {
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

type HopOutcome = { kind: 'done'; result: HttpPortResult } | { kind: 'redirect'; status: number; location: string };

/**
 * The production `HttpPort`: calls tenant APIs on public addresses only, checked at connect time
 * and on every redirect, under a whole-request deadline and a response size cap. Never throws.
 */
export class SafeHttpClient implements HttpPort {
  private readonly policy: AddressPolicy;
  private readonly pools: PoolPartitions<Pool>;
  private readonly partitionOf: () => string | undefined;
  private readonly maxRedirects: number;
  private readonly userAgent: string;

  /** Throws `InvalidAllowCidrError` for an `allowCidrs` entry that is not a CIDR range, RangeError for a bad count. */
  constructor(options: SafeHttpClientOptions = {}) {
    checkCountOption('maxRedirects', options.maxRedirects, 0);
    checkCountOption('connectionsPerOrigin', options.connectionsPerOrigin, 1);
    checkCountOption('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 1);
    checkCountOption('maxPartitions', options.maxPartitions, 1);
    const defaults = SAFE_HTTP_CLIENT_DEFAULTS;
    this.policy = new AddressPolicy(options.allowCidrs);
    this.maxRedirects = options.maxRedirects ?? defaults.maxRedirects;
    this.userAgent = options.userAgent ?? defaults.userAgent;
    this.partitionOf = options.partitionOf === null ? () => undefined : (options.partitionOf ?? tenantFromAsyncContext);
    const keepAliveTimeout = options.keepAliveTimeoutMs ?? defaults.keepAliveTimeoutMs;
    const guardedConnect = buildConnector({
      lookup: createGuardedLookup(options.lookup ?? systemResolver, this.policy),
      timeout: CONNECT_TIMEOUT_MS,
      // Setting `ca` replaces Node's roots, so they are passed along with the extra ones.
      ca: options.extraCaCertificates ? [...rootCertificates, ...options.extraCaCertificates] : undefined,
    });
    // Fairness: undici's Agent keeps one connection pool per origin, and each partition (tenant) gets an Agent
    // of its own. Capping each pool means a slow tenant API ties up at most `connectionsPerOrigin` sockets
    // and queues only its own tenant's requests (each still bound by its own deadline), while every other
    // origin, and every other tenant calling the same origin (a CRM vendor many tenants share), keeps its own
    // pool. A request that times out drops its connection; a connect stuck in DNS holds its slot until
    // CONNECT_TIMEOUT_MS.
    const makePool = (): Pool => {
      const agent = new Agent({
        connections: options.connectionsPerOrigin ?? defaults.connectionsPerOrigin,
        pipelining: 1,
        keepAliveTimeout,
        keepAliveMaxTimeout: keepAliveTimeout,
        connect: (connectOptions, callback) => {
          // IP literals never reach `lookup`; they were checked before dispatch, and again here.
          const literal = ipLiteral(connectOptions.hostname);
          const refusal = literal === null ? null : this.policy.refusalReason(literal);
          if (refusal !== null) callback(new EgressRefusedError(refusal), null);
          else guardedConnect(connectOptions, callback);
        },
      });
      // Compressed bodies are inflated as they are read, so the size cap applies to what the flow gets
      // and a compression bomb is cut off at the cap like any other large body.
      return { dispatcher: agent.compose(interceptors.decompress({ skipErrorResponses: false })), close: () => agent.close() };
    };
    this.pools = new PoolPartitions(makePool, options.maxPartitions ?? defaults.maxPartitions);
  }

  async request(req: HttpPortRequest): Promise<HttpPortResult> {
    const invalid = invalidRequestReason(req);
    if (invalid !== null) return { kind: 'failure', reason: invalid };
    const target = checkTargetUrl(req.url, this.policy);
    if (!target.ok) return { kind: 'failure', reason: `request refused: ${target.reason}` };

    const headers = { ...req.headers };
    const named = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
    if (!named.has('user-agent')) headers['user-agent'] = this.userAgent;
    if (!named.has('accept-encoding')) headers['accept-encoding'] = 'gzip, deflate, br';
    const first: Hop = { method: req.method, url: target.url, headers, body: req.method === 'POST' ? req.body : undefined };

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), req.timeoutMs);
    const progress = { origin: first.url.origin };
    try {
      return await this.follow(first, req.maxResponseBytes, deadline.signal, progress);
    } catch (error) {
      if (deadline.signal.aborted) return { kind: 'timeout' };
      return { kind: 'failure', reason: describeEgressError(error, progress.origin) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes pooled connections once in-flight requests and connects settle; requests after this fail. */
  async close(): Promise<void> {
    await this.pools.closeAll();
  }

  /** Sends `hop` and follows redirects, re-checking each; `progress` tracks the origin for error reasons. */
  private async follow(hop: Hop, maxBytes: number, signal: AbortSignal, progress: { origin: string }): Promise<HttpPortResult> {
    const visited = new Set<string>();
    for (let redirects = 0; ; redirects++) {
      progress.origin = hop.url.origin;
      visited.add(`${hop.method} ${hop.url.href}`);
      const outcome = await this.send(hop, maxBytes, signal);
      if (outcome.kind === 'done') return outcome.result;
      if (redirects >= this.maxRedirects) {
        return { kind: 'failure', reason: `too many redirects: gave up after ${this.maxRedirects}, last from ${hop.url.origin}` };
      }
      const decision = nextHop(hop, outcome.status, outcome.location, this.policy);
      if (decision.kind === 'refuse') return { kind: 'failure', reason: decision.reason };
      if (visited.has(`${decision.hop.method} ${decision.hop.url.href}`)) {
        return { kind: 'failure', reason: `redirect loop: ${hop.url.origin} redirected back to a URL already requested` };
      }
      hop = decision.hop;
    }
  }

  private async send(hop: Hop, maxBytes: number, signal: AbortSignal): Promise<HopOutcome> {
    const response = await this.pools.get(this.partitionOf() ?? '').dispatcher.request({
      origin: hop.url.origin,
      path: `${hop.url.pathname}${hop.url.search}`,
      method: hop.method,
      headers: hop.headers,
      body: hop.body,
      signal,
    });
    const headers = flattenHeaders(response.headers);
    if (isRedirect(response.statusCode, headers['location'])) {
      abortBody(response.body);
      return { kind: 'redirect', status: response.statusCode, location: headers['location'] };
    }
    const body = await readCappedBody(response.body, maxBytes, headers['content-length'], hop.url.origin);
    if (!body.ok) return { kind: 'done', result: { kind: 'failure', reason: body.reason } };
    return { kind: 'done', result: { kind: 'response', status: response.statusCode, headers, body: body.text } };
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
