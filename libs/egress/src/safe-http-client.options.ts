import type { HostResolver } from './guarded-lookup';

/** How a `SafeHttpClient` is set up. Every field is optional. */
export interface SafeHttpClientOptions {
  /**
   * CIDR ranges re-admitted despite the built-in refusals (loopback, private, link-local...), e.g.
   * `['127.0.0.0/8']` for tests or `['10.20.0.0/16']` for an on-premise CRM. Nothing else is re-admitted.
   */
  allowCidrs?: readonly string[];
  /** Resolves host names at connect time; defaults to `dns.lookup` with `all: true`. */
  lookup?: HostResolver;
  /** Redirects followed before giving up; default 5. */
  maxRedirects?: number;
  /** Open connections per origin (scheme, host, port); requests beyond wait in that origin's queue. Default 8. */
  connectionsPerOrigin?: number;
  /**
   * Which partition (tenant) a request belongs to, read when it is sent; each partition has its own pools, so
   * one tenant's slow API never queues another tenant's requests to the same origin. Default: the tenant of the
   * async context (nestjs-cls `tenantId`); null: one shared partition.
   */
  partitionOf?: (() => string | undefined) | null;
  /** Partitions kept at once; the least recently used is closed beyond it. Default 1000. */
  maxPartitions?: number;
  /** How long an idle keep-alive connection is kept; default 4 s. */
  keepAliveTimeoutMs?: number;
  /** PEM certificates trusted in addition to Node's bundled roots, for tenant APIs behind a private CA. */
  extraCaCertificates?: readonly string[];
  /** Sent when the caller sets no User-Agent; default `Ringflow-HTTP/1`. */
  userAgent?: string;
}

export const SAFE_HTTP_CLIENT_DEFAULTS = {
  maxRedirects: 5,
  connectionsPerOrigin: 8,
  maxPartitions: 1_000,
  keepAliveTimeoutMs: 4_000,
  userAgent: 'Ringflow-HTTP/1',
} as const;

/** Throws a RangeError naming the option when a count option is not a whole number in range. */
export function checkCountOption(name: keyof SafeHttpClientOptions, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new RangeError(`SafeHttpClient option ${name} must be an integer >= ${min}, got ${value}`);
  }
}
