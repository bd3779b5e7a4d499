// The ports through which a flow reaches the outside world. The runtime does no I/O of its own:
// the gateway supplies implementations (SSRF-safe HTTP, SMS and coupon jobs, queues, clock).

/** An outbound HTTP request made by an `http` node, after its templates were rendered. */
export interface HttpPortRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Whole-request deadline in milliseconds (the node's timeout, at most 10 s). */
  timeoutMs: number;
  /** Response bodies larger than this are a failure, not truncated silently. */
  maxResponseBytes: number;
}

/** What came back: a response (any status), a timeout, or a failure with a reason for the logs. */
export type HttpPortResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'timeout' }
  | { kind: 'failure'; reason: string };

export interface HttpPort {
  request(req: HttpPortRequest): Promise<HttpPortResult>;
}
