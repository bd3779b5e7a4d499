import type { CouponPort, ConsentPort, EmailPort, FlowPorts, HttpPort, HttpPortRequest, HttpPortResult, PortOutcome, QueuePort, SmsPort } from '../src/ports';

type Req<P, K extends keyof P> = P[K] extends (...args: infer A) => unknown ? A[0] : never;

/** Every request the flow made through its ports, in order. */
export interface PortCalls {
  http: HttpPortRequest[];
  sms: Req<SmsPort, 'send'>[];
  email: Req<EmailPort, 'send'>[];
  coupon: Req<CouponPort, 'issue'>[];
  queue: Req<QueuePort, 'enqueue'>[];
  optOut: Req<ConsentPort, 'optOut'>[];
}

export interface PortAnswers {
  http?: (req: HttpPortRequest) => HttpPortResult | Promise<HttpPortResult>;
  sms?: () => PortOutcome;
  email?: () => PortOutcome;
  coupon?: () => PortOutcome<{ reference: string }>;
  queue?: () => PortOutcome;
  optOut?: () => PortOutcome;
}

/** Ports that record each request and answer as told (success by default; HTTP answers 404 unless told). */
export function recordingPorts(answers: PortAnswers = {}): { ports: FlowPorts; calls: PortCalls } {
  const calls: PortCalls = { http: [], sms: [], email: [], coupon: [], queue: [], optOut: [] };
  const ok = { kind: 'ok' } as const;
  const ports: FlowPorts = {
    http: { request: async (req) => (calls.http.push(req), answers.http ? answers.http(req) : { kind: 'response', status: 404, headers: {}, body: '' }) } satisfies HttpPort,
    sms: { send: async (req) => (calls.sms.push(req), answers.sms ? answers.sms() : ok) },
    email: { send: async (req) => (calls.email.push(req), answers.email ? answers.email() : ok) },
    coupon: { issue: async (req) => (calls.coupon.push(req), answers.coupon ? answers.coupon() : { kind: 'ok', reference: `coupon-${calls.coupon.length}` }) },
    queue: { enqueue: async (req) => (calls.queue.push(req), answers.queue ? answers.queue() : ok) },
    consent: { optOut: async (req) => (calls.optOut.push(req), answers.optOut ? answers.optOut() : ok) },
  };
  return { ports, calls };
}

/** A JSON HTTP answer. */
export function jsonResponse(status: number, body: unknown): HttpPortResult {
  return { kind: 'response', status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
