import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test';
const body = '{"id":"coupon.redeemed-1","type":"coupon.redeemed"}';
const at = new Date('2026-11-22T10:00:00Z');
const t = Math.floor(at.getTime() / 1000);

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in hex, as a receiver recomputes it', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies its own signature within the tolerance', () => {
    expect(verifyWebhookSignature(secret, signWebhook(secret, body, t), body, { now: at })).toBe(true);
    expect(verifyWebhookSignature(secret, signWebhook(secret, body, t - 299), body, { now: at })).toBe(true);
  });

  it.each([
    ['another secret', signWebhook('whsec_other', body, t), body],
    ['a changed body', signWebhook(secret, body, t), body.replace('1', '2')],
    ['an old timestamp', signWebhook(secret, body, t - 301), body],
    ['no header', undefined, body],
    ['a header without v1', `t=${t}`, body],
    ['a malformed v1', `t=${t},v1=zz`, body],
    ['a malformed t', `t=soon,v1=${'0'.repeat(64)}`, body],
  ])('refuses %s', (_name, header, payload) => {
    expect(verifyWebhookSignature(secret, header, payload, { now: at })).toBe(false);
  });
});
