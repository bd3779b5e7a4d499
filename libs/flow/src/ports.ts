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

/** A result of a port that performs one action for a node. */
export type PortOutcome<T = Record<never, never>> = ({ kind: 'ok' } & T) | { kind: 'failed'; reason: string };

/**
 * Every port carries an idempotency key (`<callSid>-<nodeId>-<visit>`, no `:`): replaying the same step with the
 * same state yields the same key, so an implementation can act at most once.
 */
export interface PortAction {
  idempotencyKey: string;
  tenant: string;
  callSid: string;
}

/** Sends an SMS (usually by queuing a job for worker-sms). */
export interface SmsPort {
  send(req: PortAction & { to: string; body: string }): Promise<PortOutcome>;
}

/** Sends an email through the tenant's SMTP settings. */
export interface EmailPort {
  send(req: PortAction & { to: string; subject: string; body: string }): Promise<PortOutcome>;
}

/** Asks for a coupon of a promotion to be issued and sent by SMS; `reference` identifies the request. */
export interface CouponPort {
  issue(req: PortAction & { promotionId: string; to: string }): Promise<PortOutcome<{ reference: string }>>;
}

/** Puts a caller on the tenant's waiting list (ordered by priority) and optionally notifies agents by SMS. */
export interface QueuePort {
  enqueue(req: PortAction & { queue: string; priority: number; caller: string; notifyAgents: boolean }): Promise<PortOutcome>;
}

/** Records that a number wants no more campaign calls. */
export interface ConsentPort {
  optOut(req: PortAction & { number: string }): Promise<PortOutcome>;
}

/** Every port the runtime may use; the gateway supplies them. */
export interface FlowPorts {
  http: HttpPort;
  sms: SmsPort;
  email: EmailPort;
  coupon: CouponPort;
  queue: QueuePort;
  consent: ConsentPort;
}
