import { couponSmsTemplateProblem, DEFAULT_COUPON_SMS_TEMPLATE, renderCouponSms } from './coupon-sms';

const promotion = { name: 'Spring', offer: 'A free coffee', discount: '100%', smsTemplate: DEFAULT_COUPON_SMS_TEMPLATE };
const coupon = { serial: '7KQ4M2XD9PHT3QR', expiresAt: new Date('2027-01-31T23:30:00Z') };

describe('coupon SMS text', () => {
  it('renders the default template with the grouped serial and the expiry date in the tenant zone', () => {
    expect(renderCouponSms(promotion, coupon)).toBe('A free coffee (100%). Your code: 7KQ4M-2XD9P-HT3QR. Valid until 2027-01-31.');
    expect(renderCouponSms(promotion, coupon, 'Europe/Berlin')).toContain('Valid until 2027-02-01.');
  });

  it('accepts the default template and refuses one that never shows the serial', () => {
    expect(couponSmsTemplateProblem(DEFAULT_COUPON_SMS_TEMPLATE)).toBeNull();
    expect(couponSmsTemplateProblem('{{ offer }} today only')).toBe('the template must show the coupon code: add {{ serial }}');
  });

  it('names what is wrong with a template that uses an unknown variable or filter, or does not parse', () => {
    expect(couponSmsTemplateProblem('{{ serial }} {{ phone }}')).toMatch(/phone/);
    expect(couponSmsTemplateProblem('{{ serial | shout }}')).toMatch(/shout/);
    expect(couponSmsTemplateProblem('{{ serial }} {% if %}')).not.toBeNull();
  });

  it('cannot read files through include or render', () => {
    expect(couponSmsTemplateProblem("{{ serial }} {% include '/etc/passwd' %}")).toMatch(/passwd|not found|ENOENT/i);
    expect(couponSmsTemplateProblem("{{ serial }} {% render 'package.json' %}")).not.toBeNull();
  });
});
