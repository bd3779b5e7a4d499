import { CouponException } from '@ringflow/campaign';

export interface RedemptionRequest {
  serial: string;
  orderAmount?: string | number;
  idempotencyKey?: string;
}

const FIELDS = new Set(['serial', 'orderAmount', 'idempotencyKey']);
const KEY = /^[\x21-\x7e]{1,200}$/;

function invalid(field: string, message: string): CouponException {
  return new CouponException('invalid-input', message, field);
}

/** The body `{serial, orderAmount?, idempotencyKey?}` (key also as the Idempotency-Key header), or a 422 naming the field. */
export function redemptionRequestOf(body: unknown, headerKey: string | string[] | undefined): RedemptionRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'the body must be a JSON object like {"serial": "7KQ4M-2XD9P-HT3QR"}');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).find((field) => !FIELDS.has(field));
  if (unknown !== undefined) throw invalid(unknown.slice(0, 50), `unknown field "${unknown.slice(0, 50)}"; allowed: serial, orderAmount, idempotencyKey`);

  const { serial, orderAmount, idempotencyKey } = input;
  if (serial === undefined) throw invalid('serial', 'serial is required');
  if (typeof serial !== 'string') throw invalid('serial', 'serial must be text');
  if (orderAmount !== undefined && orderAmount !== null && typeof orderAmount !== 'string' && typeof orderAmount !== 'number') {
    throw invalid('orderAmount', 'orderAmount must be a number or text like "12.50"');
  }
  if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || !KEY.test(idempotencyKey))) {
    throw invalid('idempotencyKey', 'idempotencyKey must be 1 to 200 printable characters without spaces');
  }
  if (Array.isArray(headerKey)) throw invalid('Idempotency-Key', 'send one Idempotency-Key header');
  if (headerKey !== undefined && !KEY.test(headerKey)) throw invalid('Idempotency-Key', 'Idempotency-Key must be 1 to 200 printable characters without spaces');
  if (headerKey !== undefined && idempotencyKey !== undefined && headerKey !== idempotencyKey) {
    throw invalid('Idempotency-Key', 'the Idempotency-Key header and the body\'s idempotencyKey differ');
  }
  return { serial, orderAmount: orderAmount ?? undefined, idempotencyKey: (idempotencyKey as string | undefined) ?? headerKey };
}
