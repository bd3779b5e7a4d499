import type { ConsentPort, CouponPort, EmailPort, PortOutcome, SmsPort } from '@ringflow/flow';
import type { IntentOutbox } from './intent-outbox';

const accepted: PortOutcome = { kind: 'ok' };

// These ports do not send or issue anything themselves: `ok` means the intent was recorded in
// the outbox for a worker (or was already, for a replayed step). A Redis failure is a `failed` outcome.

export function smsIntentPort(outbox: IntentOutbox): SmsPort {
  return { send: async ({ to, body, ...action }) => (await outbox.record('sms', action, { to, body }), accepted) };
}

export function emailIntentPort(outbox: IntentOutbox): EmailPort {
  return { send: async ({ to, subject, body, ...action }) => (await outbox.record('email', action, { to, subject, body }), accepted) };
}

export function couponIntentPort(outbox: IntentOutbox): CouponPort {
  return {
    issue: async ({ promotionId, to, ...action }) => {
      await outbox.record('coupon', action, { promotionId, to });
      return { kind: 'ok', reference: action.idempotencyKey };
    },
  };
}

export function optOutIntentPort(outbox: IntentOutbox): ConsentPort {
  return { optOut: async ({ number, ...action }) => (await outbox.record('opt-out', action, { number }), accepted) };
}
